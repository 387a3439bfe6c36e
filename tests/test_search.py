"""Search across spellings and scripts, phones, e-mail, school and notes."""

from __future__ import annotations

import pytest

from elternlotse.services.demo import fill_demo
from tests.conftest import family_document


@pytest.fixture
def families(services):
    def add(name, phone="0176 1234 5678", **kw):
        doc = family_document(name=name, phone=phone, **kw)
        doc["guardians"][0]["emails"] = []
        return services.families.add(doc).id

    ids = {
        "yilmaz": add("Ayşe Yılmaz", "0176 11111111"),
        "mueller": add("Sabine Müller", "0176 22222222"),
        "olena": add("Олена Коваленко", "0176 33333333"),
        "mohammed": add("محمد العلي", "0176 44444444"),
        "yusuf": add("يوسف حداد", "0176 55555555", notes="Fragt nach Ausbildung als Mechatroniker."),
    }
    fill_demo(services, families=40, seed=3)  # background noise
    return ids


@pytest.mark.parametrize("query, key", [
    ("Yilmaz", "yilmaz"), ("yılmaz", "yilmaz"), ("YILMAZ", "yilmaz"), ("ayse yil", "yilmaz"),
    ("Muller", "mueller"), ("Mueller", "mueller"), ("müller", "mueller"),
    ("Olena", "olena"), ("Kovalenko", "olena"), ("Коваленко", "olena"),
    ("Mohammed", "mohammed"), ("Muhammad", "mohammed"),
    ("Yusuf", "yusuf"), ("Haddad", "yusuf"), ("mechatroniker", "yusuf"),
])
def test_names_are_found_across_spellings_and_scripts(services, families, query, key):
    found = [r.id for r in services.families.list(query)]
    assert families[key] in found


@pytest.mark.parametrize("query", ["0176 22222222", "+49 176 22222222", "017622222222", "0049176222"])
def test_phone_numbers_are_found_however_they_are_written(services, families, query):
    assert families["mueller"] in [r.id for r in services.families.list(query)]


def test_school_and_email_are_searchable(services):
    family = services.families.add(family_document())
    assert family.id in [r.id for r in services.families.list("Haspe")]
    assert family.id in [r.id for r in services.families.list("ayse@example")]


def test_unrelated_queries_find_nothing(services, families):
    assert services.families.list("Zzyzx") == []
    assert families["mueller"] not in [r.id for r in services.families.list("Yilmaz")]


def test_edits_and_erasure_update_the_index(services, families):
    fid = families["mueller"]
    doc = services.families.document(fid)
    doc["guardians"][0]["name"] = "Sabine Schmidt"
    services.families.update(fid, doc)
    assert fid not in [r.id for r in services.families.list("Müller")]
    assert fid in [r.id for r in services.families.list("Schmidt")]
    services.families.erase(fid)
    assert fid not in [r.id for r in services.families.list("Schmidt")]


def test_duplicates_by_phone_email_and_name(services):
    first = services.families.add(family_document(name="Ayşe Yılmaz", phone="0176 1234 5678"))
    assert [r.id for r in services.families.find_duplicates(phones=["+49 176 12345678"])] == [first.id]
    assert [r.id for r in services.families.find_duplicates(emails=["AYSE@example.org"])] == [first.id]
    assert [r.id for r in services.families.find_duplicates(names=["Ayse Yilmaz"])] == [first.id]
    assert services.families.find_duplicates(phones=["0176 9999 9999"], names=["Olga Petrowa"]) == []
