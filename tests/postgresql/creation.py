"""Test databases copied from a migrated template rather than migrated one by one.

Migrating an empty database takes seconds, and every test process (each pytest-xdist worker,
each run of a single file) did it again. The first process to need it migrates its own test
database as Django always does and then copies it to a template named after the migrations it
ran; every later one is created from that template (``CREATE DATABASE ... TEMPLATE``, a file
copy), and Django's migrate then finds nothing left to apply. A change to any migration, or
another Django, names a new template, so a stale schema is never copied.
"""

import hashlib
import sys
import tempfile
from pathlib import Path

import django
from django.db.backends.postgresql import creation
from django.db.migrations.loader import MigrationLoader
from filelock import FileLock


def migrated_template_name() -> str:
    """The template's name: a digest of Django's version and every migration file it runs."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    digest = hashlib.sha256(django.get_version().encode())
    for key, migration in sorted(loader.disk_migrations.items()):
        digest.update(repr(key).encode())
        digest.update(Path(sys.modules[migration.__module__].__file__).read_bytes())
    return f"pbc_test_template_{digest.hexdigest()[:16]}"


class DatabaseCreation(creation.DatabaseCreation):
    def create_test_db(self, *args, **kwargs):
        template = migrated_template_name()
        # One process at a time makes or copies the template: PostgreSQL refuses to copy a
        # database while it is being made, and two would both migrate a template of their own.
        with FileLock(Path(tempfile.gettempdir()) / f"{template}.lock"):
            with self._nodb_cursor() as cursor:
                template_exists = self._database_exists(cursor, template)
            if template_exists:
                self.connection.settings_dict["TEST"]["TEMPLATE"] = template
                return super().create_test_db(*args, **kwargs)
            name = super().create_test_db(*args, **kwargs)
            # A database is copied only while no one is connected to it.
            self.connection.close()
            with self._nodb_cursor() as cursor:
                cursor.execute(
                    f"CREATE DATABASE {self._quote_name(template)} "
                    f"WITH TEMPLATE {self._quote_name(name)}"
                )
            return name
