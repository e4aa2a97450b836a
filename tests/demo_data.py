"""The demo data (consortia.demo, plans.demo, signoff.demo) for tests, loaded by the real loaders
once per test process and copied into each later test that wants it (docs/decisions/0323).

The loaders take seconds (YAML, several hundred saves with their history); the copy is a handful
of queries. A copy is only made where the loaders would have started from the same place: every
table they write is empty. Otherwise (a test made some of the same rows first, or asks twice)
the loaders run, as they always did. The copy keeps the loaders' ids, times and audit-chain
hashes, so it is the database the first load left, rows in the same order; the sequences are
moved on past it so rows a test makes later are newer, as they would be.
"""

from collections.abc import Callable

from django.db import connection, transaction

from consortia import demo as consortia_demo
from plans import demo as plans_demo
from signoff import demo as signoff_demo


def organisations_and_plans() -> None:
    """The loaders behind tests.plan_factories.demo_daccom_plan."""
    consortia_demo.load_organisations()
    plans_demo.load_plans()


def with_comments() -> None:
    """The loaders behind tests.plan_factories.demo_daccom_plan_with_comments."""
    organisations_and_plans()
    signoff_demo.load_demo_comments()


class _Snapshot:
    """The rows of each table the loaders wrote, as JSON, and each table's highest id."""

    def __init__(self, rows: dict[str, str], sequences: list[tuple[str, int]]):
        self.rows = rows
        self.sequences = sequences

    def tables_empty(self) -> bool:
        with connection.cursor() as cursor:
            tables = [_quoted(table) for table in self.rows]
            # Django's own table names, quoted.
            exists = " OR ".join(f"EXISTS (SELECT 1 FROM {table})" for table in tables)  # noqa: S608
            cursor.execute(f"SELECT NOT ({exists})")
            return cursor.fetchone()[0]

    def restore(self) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            for table, rows in self.rows.items():
                name = _quoted(table)
                cursor.execute(
                    f"INSERT INTO {name} SELECT * FROM json_populate_recordset(NULL::{name}, %s)",  # noqa: S608
                    [rows],
                )
            for sequence, highest in self.sequences:
                cursor.execute(
                    f"SELECT setval(%s, %s) FROM {sequence} WHERE last_value < %s",  # noqa: S608
                    [sequence, highest, highest],
                )


_snapshots: dict[Callable[[], None], _Snapshot] = {}


def _quoted(name: str) -> str:
    return connection.ops.quote_name(name)


def _row_counts() -> dict[str, int]:
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    counts = " UNION ALL ".join(
        f"SELECT %s, count(*) FROM {_quoted(table)}"  # noqa: S608 (Django's own table names)
        for table in tables
    )
    with connection.cursor() as cursor:
        cursor.execute(counts, tables)
        return dict(cursor.fetchall())


def _load_and_keep_a_copy(loaders: Callable[[], None]) -> None:
    """Runs the loaders for real, and keeps a copy when they started from empty tables."""
    with transaction.atomic():
        before = _row_counts()
        loaders()
        after = _row_counts()
        written = [table for table, count in after.items() if count != before[table]]
        if any(before[table] for table in written):
            return
        rows, sequences = {}, []
        with connection.cursor() as cursor:
            for table in written:
                name = _quoted(table)
                cursor.execute(f"SELECT coalesce(json_agg(t), '[]')::text FROM {name} t")  # noqa: S608
                rows[table] = cursor.fetchone()[0]
                for column in connection.introspection.get_sequences(cursor, table):
                    highest = f"max({_quoted(column['column'])})"
                    cursor.execute(
                        f"SELECT pg_get_serial_sequence(%s, %s), {highest} FROM {name}",  # noqa: S608
                        [name, column["column"]],
                    )
                    sequences.append(cursor.fetchone())
        _snapshots[loaders] = _Snapshot(rows, sequences)


def load(loaders: Callable[[], None]) -> None:
    if connection.vendor != "postgresql":
        loaders()
        return
    snapshot = _snapshots.get(loaders)
    if snapshot is None:
        _load_and_keep_a_copy(loaders)
    elif snapshot.tables_empty():
        snapshot.restore()
    else:
        loaders()


def has_copy(loaders: Callable[[], None]) -> bool:
    return loaders in _snapshots


def load_organisations_and_plans() -> None:
    load(organisations_and_plans)


def load_with_comments() -> None:
    load(with_comments)
