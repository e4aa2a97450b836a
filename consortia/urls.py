from django.urls import include, path

from . import views

app_name = "consortia"

consortium_urls = [
    path("", views.consortium_detail, name="consortium"),
    path("positions/", views.consortium_positions, name="consortium_positions"),
    path("people/", views.consortium_people, name="consortium_people"),
]

commissioner_urls = [
    path("", views.commissioner_detail, name="commissioner"),
    path("positions/", views.commissioner_positions, name="commissioner_positions"),
    path("people/", views.commissioner_people, name="commissioner_people"),
]

urlpatterns = [
    path("consortia/<slug:slug>/", include(consortium_urls)),
    path("pcts/<slug:slug>/", include(commissioner_urls)),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("people/<int:pk>/deactivate/", views.person_deactivate, name="person_deactivate"),
    path("people/<int:pk>/reactivate/", views.person_reactivate, name="person_reactivate"),
    path("invitations/<int:pk>/resend/", views.invitation_resend, name="invitation_resend"),
    path("invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    path("join/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
