"""Families in the store: writing a new family, reading one, searching, listing."""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass

from elternlotse.domain.consent import Channel, ConsentEntry, Evidence, Purpose
from elternlotse.domain.contact import phone_search_forms
from elternlotse.domain.errors import NotFoundError
from elternlotse.domain.family import Child, Family, Guardian, Messenger
from elternlotse.domain.search_text import fold, name_variants, skeleton, skeleton_word, skeleton_words, words
from elternlotse.domain.text import N_
from elternlotse.store.writer import Writer


# ---------------------------------------------------------------- writing

def insert_family(writer: Writer, family: Family) -> Family:
    """Insert a parsed family; return it with the store's ids (document refs mapped)."""
    family.id = writer.insert("families", {"notes": family.notes})
    ref_to_id: dict[str, str] = {}
    for position, guardian in enumerate(family.guardians):
        guardian.id = insert_guardian(writer, family.id, guardian, position)
        ref_to_id[guardian.ref or guardian.id] = guardian.id
    for position, child in enumerate(family.children):
        child.id = insert_child(writer, family.id, child, position)
        ref_to_id[child.ref or child.id] = child.id
    mapped = []
    for entry in family.consents:
        person_id = ref_to_id.get(entry.person_id, entry.person_id)
        mapped.append(_with_person(entry, person_id, writer.stamp))
        writer.append_consent(mapped[-1])
    family.consents = mapped
    writer.replace_search_rows(family.id, search_rows_for(family))
    return family


def insert_guardian(writer: Writer, family_id: str, guardian: Guardian, position: int) -> str:
    person_id = writer.insert("persons", {
        "family_id": family_id, "role": "guardian", "name": guardian.name, "grade": None, "school": "",
        "school_year": "", "languages": json.dumps(guardian.languages), "address": guardian.address, "position": position,
    })
    write_channels(writer, person_id, guardian, new_person=True)
    return person_id


def insert_child(writer: Writer, family_id: str, child: Child, position: int) -> str:
    return writer.insert("persons", {
        "family_id": family_id, "role": "child", "name": child.first_name, "grade": child.grade,
        "school": child.school, "school_year": child.school_year, "languages": "[]", "address": "", "position": position,
    })


def write_channels(writer: Writer, person_id: str, guardian: Guardian, new_person: bool = False) -> None:
    """Make the stored channels of a guardian equal to ``guardian``'s (insert/delete as needed).

    ``new_person``: the person was inserted in this action and has no channels yet, so none are
    read (an import of 20,000 families saved as many queries).
    """
    wanted = [("phone", p, "") for p in guardian.phones] + [("email", e, "") for e in guardian.emails] + [
        ("messenger", m.handle, m.app) for m in guardian.messengers]
    existing = [] if new_person else writer.conn.execute(
        "SELECT id, kind, value, app FROM channels WHERE person_id = ? AND deleted IS NULL ORDER BY position", (person_id,)
    ).fetchall()
    keep = {}
    for row_id, kind, value, app in existing:
        key = (kind, value, app)
        if key in wanted and key not in keep:
            keep[key] = row_id
        else:
            writer.delete("channels", row_id)
    for position, key in enumerate(wanted):
        if key in keep:
            writer.update("channels", keep[key], {"position": position})
        else:
            writer.insert("channels", {"person_id": person_id, "kind": key[0], "value": key[1], "app": key[2], "position": position})


def _with_person(entry: ConsentEntry, person_id: str, stamp: str) -> ConsentEntry:
    return ConsentEntry(person_id=person_id, purpose=entry.purpose, channel=entry.channel, granted=entry.granted,
                        at=entry.at, recorded_by=entry.recorded_by, evidence=entry.evidence,
                        text_version=entry.text_version, text_language=entry.text_language,
                        stamp=entry.stamp or stamp, id=entry.id)


class SearchForms:
    """The search index's rules (``fold``, ``skeleton``, ``name_variants``, phone forms), each value
    computed once per instance: one instance lives for one bulk re-index (a sync import), where
    first names, schools, streets and notes repeat across families.  The rules are pure functions,
    so a remembered result is the result; at most ``PER_RULE`` values are kept per rule."""

    PER_RULE = 65_536

    def __init__(self) -> None:
        memo = functools.lru_cache(maxsize=self.PER_RULE)
        self.fold = memo(fold)
        self.skeleton = memo(skeleton)
        self.name_variants = memo(name_variants)
        self.phone_forms = memo(lambda phone: tuple(phone_search_forms(phone)))


def search_rows_for(family: Family, forms: SearchForms | None = None) -> list[tuple[str, str, str]]:
    forms = forms or SearchForms()
    fold_, skeleton_ = forms.fold, forms.skeleton
    notes = fold_(family.notes)
    rows = []
    for guardian in family.guardians:
        parts = [guardian.name, *guardian.emails, guardian.address]
        phones = [form for p in guardian.phones for form in forms.phone_forms(p)]
        phones += [_reversed_digits(p) for p in guardian.phones]
        phones += [re.sub(r"\D", "", m.handle) for m in guardian.messengers if re.sub(r"\D", "", m.handle)]
        variants = forms.name_variants(guardian.name)
        rows.append((guardian.id, " ".join([fold_(" ".join(parts)), variants, *phones, notes]),
                     " ".join([skeleton_(guardian.name), skeleton_(variants)])))
    for child in family.children:
        rows.append((child.id, " ".join([fold_(child.first_name), fold_(child.school), notes]),
                     skeleton_(child.first_name)))
    return rows


def _reversed_digits(phone: str) -> str:
    """The number's digits backwards behind an "r": FTS5 matches prefixes, so the last digits
    someone remembers ("...6789") are found as a prefix of this token."""
    return "r" + re.sub(r"\D", "", phone)[::-1]


#: The rules of ``search_rows_for``.  Raise it when they change: every store re-indexes its
#: families once, when it is next opened (``refresh_search_index``).
SEARCH_INDEX_VERSION = 2


def refresh_search_index(conn) -> bool:
    """Re-index every family if the index was built with older rules; True if it did.

    Runs after the migrations, with the current schema, so it can use the same code as
    every write (a migration could not: later migrations may change what it reads).
    """
    row = conn.execute("SELECT value FROM meta WHERE key = 'search_index_version'").fetchone()
    if row and int(row[0]) >= SEARCH_INDEX_VERSION:
        return False
    conn.execute("BEGIN IMMEDIATE")
    try:
        family_ids = [r[0] for r in conn.execute("SELECT DISTINCT family_id FROM search_docs ORDER BY family_id")]
        conn.execute("DELETE FROM person_search")
        conn.execute("DELETE FROM search_docs")
        rowid = 0
        forms = SearchForms()
        for family_id in family_ids:
            for person_id, folded, skel in search_rows_for(load_family(conn, family_id), forms):
                rowid += 1
                conn.execute("INSERT INTO search_docs(rowid, person_id, family_id) VALUES (?, ?, ?)",
                             (rowid, person_id, family_id))
                conn.execute("INSERT INTO person_search(rowid, folded, skeleton) VALUES (?, ?, ?)",
                             (rowid, folded, skel))
        # One merged segment: no tokens of the old rules (or of deleted rows) stay behind.
        conn.execute("INSERT INTO person_search(person_search) VALUES ('optimize')")
        conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES ('search_index_version', ?)",
                     (str(SEARCH_INDEX_VERSION),))
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
    return True


def index_family(writer: Writer, family_id: str) -> None:
    family = load_family(writer.conn, family_id)
    writer.replace_search_rows(family_id, search_rows_for(family))


def index_families(writer: Writer, family_ids) -> None:
    """Re-index many families at once (a sync import): the same rows as ``index_family`` per family.

    Reads only what ``search_rows_for`` uses, a few chunked queries for all of them instead of four
    per family, and replaces the search rows in bulk; a family that is gone (deleted, erased)
    loses its rows.
    """
    ids = sorted(set(family_ids))
    rows: dict[str, list[tuple[str, str, str]]] = {}
    forms = SearchForms()       # names, schools, streets repeat across the families of one import
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for family in _search_families(writer.conn, chunk):
            rows[family.id] = search_rows_for(family, forms)
    writer.replace_search_rows_of({fid: rows.get(fid, []) for fid in ids})


def _search_families(conn, family_ids: list[str]) -> list[Family]:
    """The live families of ``family_ids`` with the fields the search index reads, ordered as ``load_family``."""
    marks = ",".join("?" * len(family_ids))
    families = {r[0]: Family(guardians=[], id=r[0], notes=r[1]) for r in conn.execute(
        f"SELECT id, notes FROM families WHERE id IN ({marks}) AND deleted IS NULL", family_ids)}
    persons = conn.execute(
        f"SELECT id, family_id, role, name, school, address FROM persons WHERE family_id IN ({marks}) AND deleted IS NULL"
        " ORDER BY family_id, role DESC, position, created", family_ids).fetchall()
    channels: dict[str, list[tuple[str, str, str]]] = {}
    for person_id, kind, value, app in conn.execute(
            f"SELECT c.person_id, c.kind, c.value, c.app FROM channels c JOIN persons p ON p.id = c.person_id"
            f" WHERE p.family_id IN ({marks}) AND p.deleted IS NULL AND c.deleted IS NULL"
            " ORDER BY c.person_id, c.position, c.created", family_ids):
        channels.setdefault(person_id, []).append((kind, value, app))
    for pid, family_id, role, name, school, address in persons:
        family = families.get(family_id)
        if family is None:
            continue
        if role == "guardian":
            own = channels.get(pid, [])
            family.guardians.append(Guardian(
                id=pid, name=name, address=address, phones=[v for k, v, _ in own if k == "phone"],
                emails=[v for k, v, _ in own if k == "email"],
                messengers=[Messenger(app=a, handle=v) for k, v, a in own if k == "messenger"]))
        else:
            family.children.append(Child(id=pid, grade=0, first_name=name, school=school))
    return list(families.values())


# ---------------------------------------------------------------- reading

#: A pointer to a survivor may lead to a family that was itself merged later; never loop.
MAX_MERGE_HOPS = 16


def load_family(conn, family_id: str) -> Family:
    """The family; a family merged into another one (``merged_into``) leads to its survivor."""
    for _hop in range(MAX_MERGE_HOPS):
        row = conn.execute(
            "SELECT id, notes, created, updated, merged_into FROM families WHERE id = ? AND deleted IS NULL", (family_id,)
        ).fetchone()
        if row is None or not row[4]:
            break
        family_id = row[4]
    if row is None or row[4]:
        raise NotFoundError(N_("No family with the id {id}."), id=family_id)
    family = Family(guardians=[], id=row[0], notes=row[1], created=row[2], updated=row[3])
    persons = conn.execute(
        "SELECT id, role, name, grade, school, school_year, languages, address FROM persons"
        " WHERE family_id = ? AND deleted IS NULL ORDER BY role DESC, position, created", (family_id,)
    ).fetchall()
    person_ids = [p[0] for p in persons]
    channels: dict[str, list[tuple[str, str, str]]] = {}
    if person_ids:
        marks = ",".join("?" * len(person_ids))
        for person_id, kind, value, app in conn.execute(
            f"SELECT person_id, kind, value, app FROM channels WHERE person_id IN ({marks}) AND deleted IS NULL"
            " ORDER BY position, created", person_ids
        ):
            channels.setdefault(person_id, []).append((kind, value, app))
    for pid, role, name, grade, school, school_year, languages, address in persons:
        if role == "guardian":
            own = channels.get(pid, [])
            family.guardians.append(Guardian(
                id=pid, name=name, languages=json.loads(languages or "[]"), address=address,
                phones=[v for k, v, _ in own if k == "phone"], emails=[v for k, v, _ in own if k == "email"],
                messengers=[Messenger(app=a, handle=v) for k, v, a in own if k == "messenger"],
            ))
        else:
            family.children.append(Child(id=pid, first_name=name, grade=grade, school=school, school_year=school_year))
    family.consents = consent_history(conn, person_ids)
    return family


def consent_history(conn, person_ids: list[str]) -> list[ConsentEntry]:
    if not person_ids:
        return []
    marks = ",".join("?" * len(person_ids))
    rows = conn.execute(
        "SELECT id, person_id, purpose, channel, granted, at, recorded_by, evidence, text_version, text_language, stamp"
        f" FROM consents WHERE person_id IN ({marks}) ORDER BY at, stamp", person_ids
    ).fetchall()
    return [
        ConsentEntry(id=r[0], person_id=r[1], purpose=Purpose(r[2]), channel=Channel(r[3]) if r[3] else None,
                     granted=bool(r[4]), at=r[5], recorded_by=r[6], evidence=Evidence(r[7]), text_version=r[8],
                     text_language=r[9], stamp=r[10])
        for r in rows
    ]


@dataclass(frozen=True)
class FamilyRow:
    """One line of the family list."""

    id: str
    guardians: str
    children: str
    languages: str
    phone: str
    updated: str


_LIST_SQL = """
SELECT f.id,
       (SELECT group_concat(name, ' / ') FROM (SELECT name FROM persons WHERE family_id = f.id AND role = 'guardian'
            AND deleted IS NULL ORDER BY position)) AS guardians,
       (SELECT group_concat(CASE WHEN name = '' THEN '?' ELSE name END || ' (' || grade || ')', ', ') FROM
            (SELECT name, grade FROM persons WHERE family_id = f.id AND role = 'child' AND deleted IS NULL ORDER BY position)) AS children,
       (SELECT group_concat(languages, '') FROM persons WHERE family_id = f.id AND role = 'guardian' AND deleted IS NULL) AS languages,
       (SELECT c.value FROM persons p CROSS JOIN channels c ON c.person_id = p.id WHERE p.family_id = f.id
            AND c.kind = 'phone' AND c.deleted IS NULL AND p.deleted IS NULL ORDER BY p.position, c.position LIMIT 1) AS phone,
       f.updated
FROM families f
"""


def _row(values) -> FamilyRow:
    langs: list[str] = []
    for chunk in re.findall(r"\[[^\]]*\]", values[3] or ""):
        for tag in json.loads(chunk):
            if tag not in langs:
                langs.append(tag)
    return FamilyRow(values[0], values[1] or "", values[2] or "", ", ".join(langs), values[4] or "", values[5])


def search_family_ids(conn, query: str, limit: int = 200) -> list[str]:
    """Family ids that match every word of ``query`` across spellings and scripts.

    Whole-word matches come first, then prefix and sound-alike matches.  FTS5's
    bm25 ranking is not used: over thousands of prefix hits it cost 40-80 ms at
    100,000 persons and ranks no better for names than "whole word first".
    """
    ids: list[str] = []
    seen: set[str] = set()
    for match in (build_match(query, whole_words=True), build_match(query)):
        if not match or len(ids) >= limit:
            continue
        rows = conn.execute(
            "SELECT d.family_id FROM (SELECT rowid FROM person_search WHERE person_search MATCH ? LIMIT ?) s"
            " JOIN search_docs d ON d.rowid = s.rowid",
            (match, limit * 4),
        ).fetchall()
        for (family_id,) in rows:
            if family_id not in seen:
                seen.add(family_id)
                ids.append(family_id)
                if len(ids) >= limit:
                    break
    return ids


def build_match(query: str, whole_words: bool = False) -> str:
    """An FTS5 query: each word as a prefix of the folded text or of the name's skeleton.

    With ``whole_words`` only exact folded words match (the first, best answers).
    """
    # "+49 (0)176 ..." writes the national trunk zero in brackets: it is not dialled after +49.
    digits = re.sub(r"[\s\-/().]", "", re.sub(r"\(0\)", "", query or ""))
    if re.fullmatch(r"\+?\d{4,}", digits):
        if whole_words:
            return ""
        digits = digits.lstrip("+")
        if digits.startswith("00"):
            digits = digits[2:]
        # The start of the number in either form, or its last digits.
        return f'(folded : "{digits}"* OR folded : "r{digits[::-1]}"*)'
    terms = []
    for word, sound_word in zip(words(query), skeleton_words(query), strict=True):
        if whole_words:
            terms.append(f'folded : "{word}"')
            continue
        term = f'folded : "{word}"*'
        skel = skeleton_word(sound_word)
        if len(skel) >= 3:
            term = f'({term} OR skeleton : "{skel}"*)'
        elif len(skel) == 2 and len(word) >= 4:  # short skeletons (Yusuf -> "sf") only as whole words
            term = f'({term} OR skeleton : "{skel}")'
        terms.append(term)
    return " AND ".join(terms)


def rows_for_ids(conn, ids: list[str]) -> dict[str, FamilyRow]:
    """List rows for the given families (erased ones left out)."""
    rows: dict[str, FamilyRow] = {}
    for start in range(0, len(ids), 500):  # SQLite's limit on bound parameters
        chunk = ids[start:start + 500]
        marks = ",".join("?" * len(chunk))
        for values in conn.execute(_LIST_SQL + f" WHERE f.id IN ({marks}) AND f.deleted IS NULL AND f.merged_into = ''", chunk):
            rows[values[0]] = _row(values)
    return rows


def list_families(conn, query: str = "", limit: int | None = None, offset: int = 0) -> list[FamilyRow]:
    if query.strip():
        ids = search_family_ids(conn, query, limit=limit or 500)
    else:
        sql = "SELECT id FROM families WHERE deleted IS NULL AND merged_into = '' ORDER BY created"
        params: list = []
        if limit is not None:
            sql += " LIMIT ? OFFSET ?"
            params = [limit, offset]
        ids = [r[0] for r in conn.execute(sql, params)]
    rows = rows_for_ids(conn, ids)
    return [rows[fid] for fid in ids if fid in rows]


def absorbed_into(conn, family_id: str) -> list[str]:
    """Families merged into ``family_id`` (pointers to it, erased with it)."""
    return [r[0] for r in conn.execute("SELECT id FROM families WHERE merged_into = ? AND deleted IS NULL",
                                       (family_id,))]


def count_families(conn) -> int:
    return conn.execute("SELECT count(*) FROM families WHERE deleted IS NULL AND merged_into = ''").fetchone()[0]


def family_of_person(conn, person_id: str) -> str:
    row = conn.execute("SELECT family_id FROM persons WHERE id = ? AND deleted IS NULL", (person_id,)).fetchone()
    if row is None:
        raise NotFoundError(N_("No person with the id {id}."), id=person_id)
    return row[0]
