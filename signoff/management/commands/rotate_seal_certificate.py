from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from signoff.seal_certificates import RotationRefused, seal_certificate_rotate


class Command(BaseCommand):
    help = (
        "Replace the PDF seal's key and certificate. The current certificate stays on record, "
        "so the PDFs it sealed still verify as sealed. Give the new pair with --key and "
        "--certificate (copied to PDF_SEAL_KEY_PATH and PDF_SEAL_CERT_PATH); without them a new "
        "self-signed development pair is made."
    )

    def add_arguments(self, parser):
        parser.add_argument("--key", type=Path, help="The new private key (PEM).")
        parser.add_argument("--certificate", type=Path, help="The new certificate (PEM).")

    def handle(self, *args, key=None, certificate=None, **options):
        try:
            old, new = seal_certificate_rotate(key_file=key, certificate_file=certificate)
        except RotationRefused as error:
            raise CommandError(str(error)) from None
        if old is not None and old.pk != new.pk:
            self.stdout.write(
                f"Kept on record: {old.subject}, SHA-256 {old.fingerprint_sha256}, "
                f"valid until {old.not_valid_after:%d %B %Y}."
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Now sealing with: {new.subject}, SHA-256 {new.fingerprint_sha256}, "
                f"valid {new.not_valid_before:%d %B %Y} to {new.not_valid_after:%d %B %Y}."
            )
        )
