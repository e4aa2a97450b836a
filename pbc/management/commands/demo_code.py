from django.core.management.base import BaseCommand
from django_otp.oath import TOTP

from consortia.demo import DEMO_TOTP_KEY


class Command(BaseCommand):
    help = "Print the code the demo log-ins' authenticator app would show now."

    def handle(self, *args, **options):
        code = TOTP(bytes.fromhex(DEMO_TOTP_KEY)).token()
        self.stdout.write(f"{code:06d} (a new code every 30 seconds; each works once)")
