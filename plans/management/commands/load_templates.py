from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from plans import template_files


class Command(BaseCommand):
    help = (
        "Load plan template definition files (all of plans/definitions/ by default). "
        "A file with problems is refused whole, listing each problem with its location."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", type=Path)

    def handle(self, *args, paths, **options):
        paths = paths or sorted(template_files.DEFINITIONS_DIR.glob("*.yaml"))
        failed = False
        for path in paths:
            try:
                previewed = template_files.preview_file(path)
                template_files.store_previewed(previewed)
            except template_files.DefinitionError as error:
                failed = True
                self.stderr.write(f"{path}: refused")
                for problem in error.problems:
                    self.stderr.write(f"  {problem}")
            else:
                self.stdout.write(f"{path}: {previewed.result}")
                for warning in previewed.warnings:
                    self.stdout.write(f"  warning: {warning}")
        if failed:
            raise CommandError("Some definition files were refused; nothing from them was stored.")
