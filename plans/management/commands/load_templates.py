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
                template = template_files.load_file(path)
            except template_files.DefinitionError as error:
                failed = True
                self.stderr.write(f"{path}: refused")
                for problem in error.problems:
                    self.stderr.write(f"  {problem}")
            else:
                self.stdout.write(f"{path}: {template} ({template.get_status_display()})")
        if failed:
            raise CommandError("Some definition files were refused; nothing from them was stored.")
