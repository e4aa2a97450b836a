from django.urls import include, path

from . import assignment_views, participation_views, template_views, views, word_views

question_urls = [
    path("", views.answer_edit, name="answer_edit"),
    path("import-csv/", views.table_import, name="table_import"),
    path("history/", views.question_history, name="question_history"),
    path("history/<int:history_id>/restore/", views.answer_restore, name="answer_restore"),
]

plan_urls = [
    path("questions/<slug:question_key>/", include(question_urls)),
    path("assign/", assignment_views.plan_assign, name="plan_assign"),
    path("participation/", participation_views.plan_participation, name="plan_participation"),
    path("ready/", views.plan_ready, name="plan_ready"),
    path("export.json", views.plan_export_json, name="plan_export_json"),
    path("move/<int:template_id>/", views.plan_move, name="plan_move"),
    path("history/", views.plan_history, name="plan_history"),
    path("drafts/", views.plan_drafts, name="plan_drafts"),
    path("drafts/compare/", views.drafts_compare, name="drafts_compare"),
    path("import-word/", word_views.word_import_upload, name="plan_word_import"),
    path("import-word/<str:token>/", word_views.word_import_preview, name="plan_word_preview"),
]

# A PCT's lead loads its plan forms (docs/decisions/0469); pcts/<slug>/ is the PCT's page.
pct_form_urls = [
    path("", template_views.pct_forms, name="pct_forms"),
    path("check/<str:token>/", template_views.pct_form_check, name="pct_form_check"),
    path(
        "<slug:template_slug>.yaml",
        template_views.pct_form_download,
        name="pct_form_download",
    ),
]

# The plan's page and its parts' pages show review beside the plan: pbc composes them (pbc/urls.py).
urlpatterns = [
    path("plans/", views.plan_list, name="plan_list"),
    path("plans/new/", views.plan_create, name="plan_create"),
    path("plans/<int:plan_id>/", include(plan_urls)),
    path("pcts/<slug:slug>/forms/", include(pct_form_urls)),
]
