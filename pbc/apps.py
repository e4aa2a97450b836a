from django.apps import AppConfig


class PbcConfig(AppConfig):
    name = "pbc"
    verbose_name = "PBC Plans"

    def ready(self):
        # Signal receivers: what sign-in records in the session, and the unlock email.
        from .security import lockout, second_factor  # noqa: F401
