"""How a row of a plan's audit chain is hashed: pure functions, no database.

Each chained row (a plan event, a signature, a ready PDF) stores its place in its plan's chain
(``audit_seq``), the hash of the link before it (``audit_previous_sha256``) and its own link
hash (``audit_sha256``): the SHA-256 of a canonical JSON object holding the row's type, primary
key, place, previous hash and the values of an explicit list of its stored fields, the model's
``AUDIT_FIELDS`` (docs/decisions/0370). Changing any of those values, removing a row or
inserting one breaks the chain at that row.
"""

import hashlib
import json
from datetime import UTC, date, datetime
from decimal import Decimal

# The previous hash of a chain's first link.
GENESIS = "0" * 64


def canonical_value(value):
    """A field's value as JSON can carry it, the same whether read back from PostgreSQL or
    SQLite: times in UTC ISO 8601, binary as the SHA-256 of its bytes, decimals as text."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, (bytes, bytearray, memoryview)):
        return "sha256:" + hashlib.sha256(bytes(value)).hexdigest()
    if isinstance(value, Decimal):
        return str(value)
    return value


def link_sha256(*, record: str, pk: int, seq: int, previous: str, fields: dict) -> str:
    """The hash a link stores: ``record`` names the row type (``plans.planevent``) and
    ``fields`` maps each name in that type's ``AUDIT_FIELDS`` to its stored value."""
    payload = {
        "record": record,
        "pk": pk,
        "seq": seq,
        "previous": previous,
        "fields": {name: canonical_value(value) for name, value in fields.items()},
    }
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()
