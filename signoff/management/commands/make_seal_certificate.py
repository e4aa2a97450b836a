from django.core.management.base import BaseCommand, CommandError

from signoff import seal


class Command(BaseCommand):
    help = (
        "Create a self-signed development key and certificate for sealing signed PDFs, at "
        "PDF_SEAL_KEY_PATH and PDF_SEAL_CERT_PATH. Production uses the deployment's own."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Replace an existing key and certificate."
        )
        parser.add_argument(
            "--if-missing",
            action="store_true",
            help="Do nothing (and succeed) when both files already exist.",
        )

    def handle(self, *args, force=False, if_missing=False, **options):
        key, certificate = seal.key_path(), seal.certificate_path()
        if if_missing and key.is_file() and certificate.is_file():
            self.stdout.write(f"The PDF seal certificate is already at {certificate}.")
            return
        try:
            made = seal.make_development_certificate(
                key_file=key, certificate_file=certificate, force=force
            )
        except FileExistsError:
            raise CommandError(
                f"A seal key or certificate already exists ({key}, {certificate}). PDFs sealed "
                "with it would no longer verify as ours if it were replaced; pass --force to "
                "replace it anyway."
            ) from None
        self.stdout.write(
            self.style.SUCCESS(
                f"Development seal created: {certificate} (key {key}), "
                f"valid until {made.not_valid_after_utc:%d %B %Y}."
            )
        )
