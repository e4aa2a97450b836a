"""The product's URLs plus the bare page the benchmark compares each page against."""

from django.urls import include, path

from benchmarks import views
from pbc.urls import handler400, handler403, handler404, handler500  # noqa: F401

urlpatterns = [
    path("benchmark/bare/<int:size>/", views.bare, name="benchmark_bare"),
    path("", include("pbc.urls")),
]
