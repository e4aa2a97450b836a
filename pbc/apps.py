from django.apps import AppConfig


class PbcConfig(AppConfig):
    name = "pbc"
    verbose_name = "PBC Plans"

    def ready(self):
        # Signal receivers (what sign-in records in the session, the unlock email), the
        # header's link to the sign-in security page and the deployment checks.
        from . import checks, two_factor  # noqa: F401
        from .security import lockout, second_factor  # noqa: F401
