from django.urls import path

from . import views

app_name = "consortia"

urlpatterns = [
    path("consortia/<slug:slug>/", views.consortium_detail, name="consortium"),
    path("pcts/<slug:slug>/", views.commissioner_detail, name="commissioner"),
    path(
        "consortia/<slug:slug>/positions/",
        views.consortium_positions,
        name="consortium_positions",
    ),
    path(
        "pcts/<slug:slug>/positions/", views.commissioner_positions, name="commissioner_positions"
    ),
    path("consortia/<slug:slug>/people/", views.consortium_people, name="consortium_people"),
    path("pcts/<slug:slug>/people/", views.commissioner_people, name="commissioner_people"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("people/<int:pk>/deactivate/", views.person_deactivate, name="person_deactivate"),
    path("invitations/<int:pk>/resend/", views.invitation_resend, name="invitation_resend"),
    path("invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    path("join/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
