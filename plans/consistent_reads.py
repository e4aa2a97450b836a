"""Reads that all see the database as it stood at one moment, for a cached fragment and the key
it is stored under (docs/decisions/0425).

A fragment is cached under a digest of what it shows, read by its own queries; the fragment is
rendered from others. Were a change to land between the two, the key would describe the old state
and the fragment the new, and a later return to the old state (an assignment given and taken
back) would show the fragment stale. Inside ``consistent_reads`` the key and the fragment are
read from one snapshot: PostgreSQL's repeatable read, and SQLite's transaction, which holds its
read lock (or, with a write-ahead log, its snapshot) from its first read to its end.
"""

from contextlib import contextmanager

from django.db import connection, transaction


@contextmanager
def consistent_reads():
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if outermost and connection.vendor == "postgresql":
            # Only as a transaction's first statement; an enclosing one keeps its own isolation.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield
