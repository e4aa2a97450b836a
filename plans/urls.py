from django.urls import path

from . import assignment_views, participation_views, views, word_views

# The plan's page and its parts' pages show review beside the plan: pbc composes them (pbc/urls.py).
urlpatterns = [
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/new/", views.plan_create, name="plan_create"),
    path(
        "plans/<int:plan_id>/questions/<slug:question_key>/",
        views.answer_edit,
        name="answer_edit",
    ),
    path(
        "plans/<int:plan_id>/questions/<slug:question_key>/import-csv/",
        views.table_import,
        name="table_import",
    ),
    path("plans/<int:plan_id>/assign/", assignment_views.plan_assign, name="plan_assign"),
    path(
        "plans/<int:plan_id>/participation/",
        participation_views.plan_participation,
        name="plan_participation",
    ),
    path("plans/<int:plan_id>/ready/", views.plan_ready, name="plan_ready"),
    path("plans/<int:plan_id>/export.json", views.plan_export_json, name="plan_export_json"),
    path("plans/<int:plan_id>/move/<int:template_id>/", views.plan_move, name="plan_move"),
    path("plans/<int:plan_id>/history/", views.plan_history, name="plan_history"),
    path(
        "plans/<int:plan_id>/questions/<slug:question_key>/history/",
        views.question_history,
        name="question_history",
    ),
    path(
        "plans/<int:plan_id>/questions/<slug:question_key>/history/<int:history_id>/restore/",
        views.answer_restore,
        name="answer_restore",
    ),
    path("plans/<int:plan_id>/drafts/", views.plan_drafts, name="plan_drafts"),
    path("plans/<int:plan_id>/drafts/compare/", views.drafts_compare, name="drafts_compare"),
    path(
        "plans/<int:plan_id>/import-word/",
        word_views.word_import_upload,
        name="plan_word_import",
    ),
    path(
        "plans/<int:plan_id>/import-word/<str:token>/",
        word_views.word_import_preview,
        name="plan_word_preview",
    ),
]
