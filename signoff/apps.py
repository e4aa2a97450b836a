from django.apps import AppConfig


class SignoffConfig(AppConfig):
    name = "signoff"
    verbose_name = "Review and sign-off"

    def ready(self):
        from . import navigation  # noqa: F401  registers the header's email settings link
