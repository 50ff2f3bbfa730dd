"""The audit trail's hash chain and the database triggers that keep its rows.

Each entry stores ``hash = sha256(prev_hash + "\\n" + canonical form of its content)`` and the
previous entry's hash (``prev_hash``; the first entry follows ``GENESIS``), so a changed,
removed or inserted row breaks the chain from there on (``manage.py audit_verify`` finds the
first break). The content is every stored field but the id and the two hashes, written in a
form that survives the round trip through SQLite and PostgreSQL (times in UTC to the
microsecond, JSON with sorted keys).

Appending is serialised on the chain's head row (``models.AuditChainHead``, locked in the
writer's transaction), see ``models.appending``.

The triggers: the database refuses UPDATE and DELETE of an audit row (and TRUNCATE on
PostgreSQL). Only ``erasable`` lifts the DELETE/TRUNCATE refusal, inside one transaction, for
the two commands that empty a whole database (``flush``, the wipe before a backup restore).
"""

from __future__ import annotations

import datetime
import hashlib
import ipaddress
import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, transaction

GENESIS = "0" * 64
# The stored fields a hash covers, by attname: all but ``id``, ``prev_hash`` and ``hash``.
CHAINED_FIELDS = (
    "at",
    "user_id",
    "user_label",
    "source",
    "ip_address",
    "user_agent",
    "request_path",
    "api_token",
    "content_type_id",
    "object_id",
    "object_repr",
    "action",
    "changes",
    "reason",
    "history_id",
    "province_id",
    "district_id",
    "beneficiary_id",
    "search_text",
)


def _canonical_value(name: str, value: Any) -> Any:
    if value is None:
        return None
    if name == "at":
        if isinstance(value, datetime.datetime):
            if value.tzinfo is None:  # stored naive only with USE_TZ off: taken as UTC
                value = value.replace(tzinfo=datetime.UTC)
            return value.astimezone(datetime.UTC).isoformat(timespec="microseconds")
        return str(value)
    if name == "ip_address":
        try:
            return str(ipaddress.ip_address(str(value)))
        except ValueError:
            return str(value)
    return value


_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def encoded(name: str, value: Any) -> str:
    """One field's value in the canonical form: compact JSON, keys sorted."""
    return _ENCODER.encode(_canonical_value(name, value))


class EncodedJSON(json.JSONEncoder):
    """A JSONField encoder for values already encoded (``encoded``'s text): stored as they
    are, so a bulk writer encodes an entry's changes once, for the row and its hash."""

    def encode(self, o: Any) -> str:
        return o if isinstance(o, str) else super().encode(o)


def canonical(values: Mapping[str, Any]) -> str:
    """The content of an entry (``values`` by attname) as the text its hash covers: one
    canonical JSON value per line, in the order of ``CHAINED_FIELDS``."""
    return "\n".join(encoded(name, values.get(name)) for name in CHAINED_FIELDS)


def hash_of(prev_hash: str, content: str) -> str:
    """``content``: ``canonical`` of an entry (bulk writers build it from parts encoded once)."""
    return hashlib.sha256(f"{prev_hash}\n{content}".encode()).hexdigest()


def entry_hash(prev_hash: str, values: Mapping[str, Any]) -> str:
    return hash_of(prev_hash, canonical(values))


def values_of(entry: Any) -> dict[str, Any]:
    """The chained values of an ``AuditEntry`` instance."""
    return {name: getattr(entry, name) for name in CHAINED_FIELDS}


# ----------------------------------------------------------------------------- triggers

TABLE = "trust_auditentry"
_MESSAGE = "audit rows are append-only"

# (name, SQL to create, SQL to drop) per vendor. The UPDATE trigger keeps the name of 0001's.
_SQLITE = {
    "no_update": (
        f"CREATE TRIGGER {TABLE}_no_update BEFORE UPDATE ON {TABLE} "
        f"BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END;",
        f"DROP TRIGGER IF EXISTS {TABLE}_no_update;",
    ),
    "no_delete": (
        f"CREATE TRIGGER {TABLE}_no_delete BEFORE DELETE ON {TABLE} "
        f"BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END;",
        f"DROP TRIGGER IF EXISTS {TABLE}_no_delete;",
    ),
}
_PG_FUNCTION = (
    f"CREATE OR REPLACE FUNCTION {TABLE}_refuse() RETURNS trigger LANGUAGE plpgsql AS "
    f"$$ BEGIN RAISE EXCEPTION '{_MESSAGE}'; END; $$;"
)
_POSTGRESQL = {
    "no_update": (
        f"CREATE TRIGGER {TABLE}_no_update BEFORE UPDATE ON {TABLE} "
        f"FOR EACH ROW EXECUTE FUNCTION {TABLE}_refuse();",
        f"DROP TRIGGER IF EXISTS {TABLE}_no_update ON {TABLE};",
    ),
    "no_delete": (
        f"CREATE TRIGGER {TABLE}_no_delete BEFORE DELETE ON {TABLE} "
        f"FOR EACH ROW EXECUTE FUNCTION {TABLE}_refuse();",
        f"DROP TRIGGER IF EXISTS {TABLE}_no_delete ON {TABLE};",
    ),
    # TRUNCATE fires no row trigger: refused by a statement trigger of its own
    "no_truncate": (
        f"CREATE TRIGGER {TABLE}_no_truncate BEFORE TRUNCATE ON {TABLE} "
        f"FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_refuse();",
        f"DROP TRIGGER IF EXISTS {TABLE}_no_truncate ON {TABLE};",
    ),
}
_TRIGGERS = {"sqlite": _SQLITE, "postgresql": _POSTGRESQL}
ERASE_TRIGGERS = ("no_delete", "no_truncate")


def _execute(cursor: Any, statements: list[str]) -> None:
    for statement in statements:
        cursor.execute(statement)


def create_triggers(cursor: Any, vendor: str, names: tuple[str, ...] | None = None) -> None:
    """Create the refusing triggers (all, or those named) on the audit table."""
    triggers = _TRIGGERS.get(vendor, {})
    chosen = [sql for name, (sql, _drop) in triggers.items() if names is None or name in names]
    if vendor == "postgresql" and chosen:
        chosen.insert(0, _PG_FUNCTION)
    drops = [drop for name, (_sql, drop) in triggers.items() if names is None or name in names]
    _execute(cursor, [*drops, *chosen])


def drop_triggers(cursor: Any, vendor: str, names: tuple[str, ...] | None = None) -> None:
    triggers = _TRIGGERS.get(vendor, {})
    _execute(
        cursor, [drop for name, (_sql, drop) in triggers.items() if names is None or name in names]
    )


@contextmanager
def erasable(using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Audit rows may be deleted inside this block: for emptying a whole database only
    (``manage.py flush``, which the tests' flush uses, and a backup restore's wipe).

    The DELETE/TRUNCATE triggers are dropped and created again in one transaction: the
    schema change is seen by no other connection before it is undone (both SQLite and
    PostgreSQL roll DDL back with the transaction; PostgreSQL holds the table locked
    meanwhile), and an error leaves the triggers in place.
    """
    connection = connections[using]
    with transaction.atomic(using=using):
        with connection.cursor() as cursor:
            drop_triggers(cursor, connection.vendor, ERASE_TRIGGERS)
        yield
        with connection.cursor() as cursor:
            create_triggers(cursor, connection.vendor, ERASE_TRIGGERS)
