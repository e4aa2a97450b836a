from django.urls import path

from . import views

urlpatterns = [
    path("plans/<int:plan_id>/review/<slug:action>/", views.plan_action, name="plan_action"),
    path("plans/<int:plan_id>/sign/", views.plan_sign, name="plan_sign"),
    path("plans/<int:plan_id>/activity/", views.plan_activity, name="plan_activity"),
    path("plans/<int:plan_id>/draft-pdf/", views.plan_draft_pdf, name="plan_draft_pdf"),
    path("plans/<int:plan_id>/plan.docx", views.plan_word_export, name="plan_word_export"),
    path(
        "plans/<int:plan_id>/documents/<int:document_id>/",
        views.document_detail,
        name="document_detail",
    ),
    path(
        "plans/<int:plan_id>/documents/<int:document_id>/status.json",
        views.document_status,
        name="document_status",
    ),
    path(
        "plans/<int:plan_id>/documents/<int:document_id>/download/",
        views.document_download,
        name="document_download",
    ),
    path(
        "plans/<int:plan_id>/documents/<int:document_id>/retry/",
        views.document_retry,
        name="document_retry",
    ),
    path("account/notifications/", views.notification_settings, name="notification_settings"),
    # Review comments
    path("plans/<int:plan_id>/comments/", views.comment_add, name="comment_add"),
    path("comments/<int:thread_id>/reply/", views.comment_reply, name="comment_reply"),
    path("comments/<int:thread_id>/resolve/", views.comment_resolve, name="comment_resolve"),
    path("comments/<int:thread_id>/reopen/", views.comment_reopen, name="comment_reopen"),
    # Anyone may check a signed plan's PDF, signed in or not.
    path("verify/", views.verify, name="verify"),
]
