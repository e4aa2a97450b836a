from django.urls import path

from . import views

app_name = "monitoring"
urlpatterns = [
    path("monitoring/", views.to_do, name="to_do"),
    path("monitoring/delivery.csv", views.round_figures_csv, name="round_csv"),
    path("monitoring/returns/<int:return_id>/", views.return_detail, name="return"),
    path("plans/<int:plan_id>/monitoring/", views.plan_monitoring, name="plan"),
    path("plans/<int:plan_id>/monitoring/delivery.csv", views.plan_figures_csv, name="plan_csv"),
]
