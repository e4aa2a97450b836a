from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from consortia import demo as consortia_demo


class Command(BaseCommand):
    help = "Load the demo organisations, plans and log-ins. Running it again changes nothing."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Load demo accounts even with debug off (they share one known password).",
        )

    def handle(self, *args, allow_production=False, **options):
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                "Debug is off: demo accounts share a published password. "
                "Pass --allow-production to load them anyway."
            )
        logins = consortia_demo.load_organisations()
        for loader in _plan_loaders():
            loader()
        # No address: this command cannot know where, or on which port, the site will be served.
        self.stdout.write(
            self.style.SUCCESS(
                "Demo data loaded. Sign in with a log-in below, at the address your server "
                "prints when it starts (`make run` starts one)."
            )
        )
        self.stdout.write(f"Every demo log-in uses the password: {consortia_demo.DEMO_PASSWORD}")
        self.stdout.write(
            "All but the editors also give a code from an authenticator app: add the key "
            f"{consortia_demo.demo_authenticator_key()} to one, or run "
            "`python manage.py demo_code` for the current code."
        )
        width = max(len(login.email) for login in logins)
        for login in logins:
            self.stdout.write(f"  {login.email.ljust(width)}  {login.role}, {login.organisation}")


def _plan_loaders():
    from plans import demo as plans_demo
    from plans import participation_demo
    from signoff import demo as signoff_demo

    # The reviewers' comments anchor in the plans' text, so they load after the plans.
    return [
        plans_demo.load_plans,
        participation_demo.load_demo_participation,
        signoff_demo.load_demo_comments,
    ]
