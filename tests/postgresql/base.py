"""PostgreSQL as Django has it, except that test databases are copied from a migrated template
(tests/postgresql/creation.py), and that emptying the tables after a test that commits
(pytest's ``transaction=True``, every browser journey and real Celery worker) deletes their
rows rather than truncating them.

TRUNCATE of the project's ~55 tables makes new files for every table, index and TOAST table,
about 1 s a test on a quiet machine and 3 s on a busy one; DELETE of the few hundred rows a test
leaves takes milliseconds. The tables end as empty either way: sequences are not reset by
either (Django asks for that separately, and then it gets its own TRUNCATE), no table has a
trigger, and every foreign key Django makes is checked at commit, so the order of the deletes
does not matter.
"""

from django.db.backends.postgresql import base, operations

from tests.postgresql.creation import DatabaseCreation


class DatabaseOperations(operations.DatabaseOperations):
    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if not tables or reset_sequences or allow_cascade:
            return super().sql_flush(
                style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        return [
            f"{style.SQL_KEYWORD('DELETE FROM')} {style.SQL_FIELD(self.quote_name(table))};"
            for table in tables
        ]


class DatabaseWrapper(base.DatabaseWrapper):
    ops_class = DatabaseOperations
    creation_class = DatabaseCreation
