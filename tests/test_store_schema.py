"""store.schema: the live schema checked against store.tables (sqlite-utils), and transform() for migrations."""

from __future__ import annotations

import pytest

from elternlotse.store import schema
from elternlotse.store.database import _transaction
from tests.conftest import family_document


def test_a_store_after_every_migration_matches_the_code(services):
    assert services.store.schema_problems() == []


def test_the_check_names_what_is_missing(services):
    conn = services.store.conn
    with _transaction(conn):
        conn.execute("DROP TRIGGER consents_append_only")
        conn.execute("ALTER TABLE events DROP COLUMN headcount")
    found = services.store.schema_problems()
    assert any("consents_append_only" in p for p in found)
    assert "events.headcount: column missing" in found
    assert len(found) == 2


def _consents(store) -> list[dict]:
    columns = list(store.db["consents"].columns_dict)
    return [dict(zip(columns, row, strict=True)) for row in store.conn.execute(
        f"SELECT {', '.join(columns)} FROM consents ORDER BY stamp, person_id, purpose")]


def test_transform_keeps_rows_indexes_and_triggers_inside_the_migrations_transaction(services):
    family = services.families.add(family_document())
    conn = services.store.conn
    before = _consents(services.store)
    with _transaction(conn):
        schema.transform(conn, "consents", column_order=["stamp"])
        assert conn.in_transaction  # sqlite-utils used a savepoint, not a commit of its own
    db = services.store.db
    assert list(db["consents"].columns_dict)[0] == "stamp"
    assert "consents_by_person" in {i.name for i in db["consents"].indexes}
    assert services.store.schema_problems() == []  # the append-only trigger is back
    assert _consents(services.store) == before and len(before) == 3
    with pytest.raises(Exception, match="append-only"):
        conn.execute("UPDATE consents SET granted = 0")
    assert services.consent.state(family.guardians[0].id).current  # the service still reads its history


def test_a_failing_migration_step_leaves_the_old_table(services):
    conn = services.store.conn
    columns = list(services.store.db["persons"].columns_dict)
    with pytest.raises(RuntimeError, match="boom"), _transaction(conn):
        schema.transform(conn, "persons", rename={"school": "school_name"})
        raise RuntimeError("boom")
    assert list(services.store.db["persons"].columns_dict) == columns


def test_transform_refuses_outside_a_transaction_and_on_the_search_index(services):
    conn = services.store.conn
    with pytest.raises(RuntimeError, match="transaction"):
        schema.transform(conn, "persons", drop=["address"])
    with pytest.raises(ValueError, match="person_search"), _transaction(conn):
        schema.transform(conn, "person_search", drop=["skeleton"])
    assert services.store.schema_problems() == []
