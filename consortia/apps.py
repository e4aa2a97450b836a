from django.apps import AppConfig


class ConsortiaConfig(AppConfig):
    name = "consortia"
    verbose_name = "Organisations and people"

    def ready(self):
        # Importing registers the header's organisation links.
        from . import navigation  # noqa: F401
