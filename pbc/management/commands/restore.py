from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from pbc.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into an empty PostgreSQL database (the "
        "configured one, or --into NAME on the same server, created if missing), put the media "
        "files and seal key back in their configured places, then check it: every count matches "
        "the backup, every sealed PDF verifies and every audit chain holds."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="The archive `manage.py backup` wrote.")
        parser.add_argument(
            "--into", help="Restore into this database instead of the configured one (a drill)."
        )
        parser.add_argument(
            "--replace-seal",
            action="store_true",
            help="Put the backup's seal key and certificate in place of different ones.",
        )

    def handle(self, *args, archive: Path, into=None, replace_seal=False, **options):
        try:
            restored = restore(archive, into=into, replace_seal=replace_seal)
        except BackupError as error:
            raise CommandError(str(error)) from None
        manifest = restored.manifest
        self.stdout.write(
            f"Restored the backup of {manifest['created_at']} into database {restored.database}:"
        )
        for what, count in restored.counts.items():
            self.stdout.write(f"  {what}: {count} (backed up: {manifest['counts'].get(what)})")
        media = restored.media_files
        self.stdout.write(f"  media files: {media}, and the seal key and certificate")
        self.stdout.write(
            f"Verified: {restored.pdfs_sealed} of {restored.counts['sealed PDFs']} sealed PDFs "
            f"verify as sealed by this service; {restored.chains_intact} of "
            f"{restored.counts['plans']} audit chains intact."
        )
        if not restored.ok:
            for problem in restored.problems:
                self.stdout.write(self.style.ERROR(f"  {problem}"))
            raise CommandError(f"The restore has {len(restored.problems)} problems (above).")
        self.stdout.write(self.style.SUCCESS("Everything backed up came back and verifies."))
