from django.apps import AppConfig


class SignoffConfig(AppConfig):
    name = "signoff"
    verbose_name = "Review and sign-off"
