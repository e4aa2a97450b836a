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
]
