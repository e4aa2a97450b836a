from django.urls import path

from . import views

app_name = "consortia"

urlpatterns = [
    path("consortia/<slug:slug>/", views.consortium_detail, name="consortium"),
    path("pcts/<slug:slug>/", views.commissioner_detail, name="commissioner"),
]
