from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pbc.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the PostgreSQL database (pg_dump, custom format), the media files and the PDF "
        "seal's key and certificate into one tar archive with a manifest of SHA-256 sums. The "
        "archive holds the seal's private key: store it as you store the key."
    )

    def add_arguments(self, parser):
        parser.add_argument("output", type=Path, help="Where to write the archive (.tar).")

    def handle(self, *args, output: Path, **options):
        try:
            made = backup(output)
        except BackupError as error:
            raise CommandError(str(error)) from None
        manifest = made.manifest
        self.stdout.write(f"Database {manifest['database']} ({manifest['versions']['server']})")
        for what, count in manifest["counts"].items():
            self.stdout.write(f"  {what}: {count}")
        media = sum(1 for name in manifest["files"] if name.startswith("media/"))
        self.stdout.write(f"  media files: {media}, and the seal key and certificate")
        self.stdout.write(self.style.SUCCESS(f"Backup written to {made.path}."))
