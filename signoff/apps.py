from django.apps import AppConfig


class SignoffConfig(AppConfig):
    name = "signoff"
    verbose_name = "Review and sign-off"

    def ready(self):
        # signoff hears of every event of the plan's log, to tell people of it.
        from plans.events import event_recorded

        from .notifications import on_event_recorded

        event_recorded.connect(on_event_recorded, dispatch_uid="signoff.notifications")
