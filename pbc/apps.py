from django.apps import AppConfig


class PbcConfig(AppConfig):
    name = "pbc"
    verbose_name = "PBC Plans"
