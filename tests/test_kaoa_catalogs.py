"""Catalogues: the bundled files are valid, broken files are refused with one sentence naming the field,
newer versions replace older ones without losing progress."""

from __future__ import annotations

import copy
import json
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from elternlotse.catalogs import bundled_catalogs, catalog_to_document, parse_catalog
from elternlotse.catalogs.loader import catalogs_dir
from elternlotse.domain.errors import ValidationError
from tests.conftest import family_document


@pytest.fixture(scope="module")
def nrw_doc() -> dict:
    return json.loads((catalogs_dir() / "nrw-kaoa.json").read_text(encoding="utf-8"))


def test_bundled_catalogues_are_valid_and_complete():
    catalogs = {c.id: c for c in bundled_catalogs()}
    assert set(catalogs) == {"nrw-kaoa", "generic-bop"}
    nrw = catalogs["nrw-kaoa"]
    keys = [s.key for s in nrw.stages]
    for key in ("bo-info", "portfolio", "pa", "bfe", "school-counselling", "career-counselling", "internship",
                "praxiskurse", "long-internship", "anschlussvereinbarung", "applications", "sek2", "kaoa-kompakt", "kaoa-star"):
        assert key in keys
    pa = nrw.stage("pa")
    assert pa.consent_needed and pa.grades == (8, 8) and "newly_arrived" in pa.excluded_groups
    assert nrw.stage("kaoa-kompakt").target_group == "newly_arrived"
    assert nrw.stage("praxiskurse").optional
    assert nrw.stage("anschlussvereinbarung").number == "7.3"
    for stage in nrw.stages:
        assert stage.titles["de"] and stage.titles["en"] and stage.items
    generic = catalogs["generic-bop"]
    assert generic.stage("pa").grades == (7, 7) and generic.stage("workshop-days").grades == (8, 8)


def test_document_round_trip(nrw_doc):
    catalog = parse_catalog(nrw_doc)
    assert parse_catalog(catalog_to_document(catalog)) == catalog


def _broken(doc: dict, path: list, value=..., delete: bool = False) -> dict:
    doc = copy.deepcopy(doc)
    target = doc
    for key in path[:-1]:
        target = target[key]
    if delete:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return doc


@pytest.mark.parametrize("path, value, delete, field", [
    (["format"], "elternlotse.catalog/9", False, "format"),
    (["version"], "new", False, "version"),
    (["valid_from"], "1.8.2026", False, "valid_from"),
    (["id"], "NRW KAoA", False, "id"),
    (["stages"], [], False, "stages"),
    (["title", "en"], None, True, "title"),
    (["stages", 2, "grades", "from"], 15, False, "stages[2].grades.from"),
    (["stages", 2, "grades", "to"], 7, False, "stages[2].grades.to"),
    (["stages", 2, "parents", "role"], "watch", False, "stages[2].parents.role"),
    (["stages", 2, "timing", "half"], 3, False, "stages[2].timing"),
    (["stages", 3, "timing", "half"], 3, False, "stages[3].timing.half"),
    (["stages", 2, "consent_needed"], "yes", False, "stages[2].consent_needed"),
    (["stages", 2, "target_group"], "refugees", False, "stages[2].target_group"),
    (["stages", 2, "items", 0, "text", "de"], None, True, "stages[2].items[0].text"),
    (["stages", 2, "items", 1, "key"], "pa-consent", False, "stages[2].items[1].key"),
    (["stages", 1, "key"], "bo-info", False, "stages[1].key"),
    (["stages", 0, "colour"], "red", False, "stages[0].colour"),
])
def test_broken_catalogue_names_the_field(nrw_doc, path, value, delete, field):
    with pytest.raises(ValidationError) as error:
        parse_catalog(_broken(nrw_doc, path, value, delete))
    assert str(error.value).startswith(field), str(error.value)
    assert "\n" not in str(error.value)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=5),
                    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
                    max_leaves=10))
def test_arbitrary_json_is_refused_cleanly(data):
    with pytest.raises(ValidationError):
        parse_catalog(data)


def test_cli_catalog_check(cli, tmp_path, nrw_doc):
    good = tmp_path / "good.json"
    good.write_text(json.dumps(nrw_doc), encoding="utf-8")
    result = cli("catalog", "check", str(good))
    assert result.code == 0 and "14 stages" in result.out
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(_broken(nrw_doc, ["stages", 4, "grades", "from"], "eight")), encoding="utf-8")
    result = cli("catalog", "check", str(bad))
    assert result.code == 1 and result.out == ""
    assert result.err.count("\n") == 1 and "bad.json" in result.err and "stages[4].grades.from" in result.err
    broken_json = tmp_path / "broken.json"
    broken_json.write_text('{"format": ', encoding="utf-8")
    result = cli("catalog", "check", str(broken_json))
    assert result.code == 1 and "not valid JSON" in result.err
    assert cli("catalog", "check", str(tmp_path / "missing.json")).code == 1


def test_newer_version_replaces_older_and_keeps_progress(services, nrw_doc):
    family = services.families.add(family_document())
    child_id = family.children[0].id
    on = date(2026, 11, 23)
    services.checklists.set_item(child_id, "pa/pa-consent", "done", note="signed at the café", on=on)
    services.checklists.set_item(child_id, "pa/pa-results-sharing", "discussed", on=on)

    newer = copy.deepcopy(nrw_doc)
    newer["version"] = "2026.9"
    pa = next(s for s in newer["stages"] if s["key"] == "pa")
    pa["items"] = [i for i in pa["items"] if i["key"] != "pa-results-sharing"]
    pa["title"]["en"] = "Potential analysis (new wording)"
    result = services.catalogs.install(json.dumps(newer))
    assert result.status == "replaced"
    assert services.catalogs.get().version == "2026.9"
    assert services.catalogs.install(newer).status == "unchanged"
    older = dict(newer, version="2025.9")
    assert services.catalogs.install(older).status == "older"
    assert services.catalogs.get().version == "2026.9"

    checklist = services.checklists.checklist(child_id, on)
    by_ref = {e.ref: e for e in checklist.entries}
    assert by_ref["pa/pa-consent"].status == "done" and by_ref["pa/pa-consent"].note == "signed at the café"
    assert by_ref["pa/pa-consent"].stage_title == "Potential analysis (new wording)"
    earlier = [e.ref for e in checklist.earlier]
    assert earlier == ["pa/pa-results-sharing"] and by_ref["pa/pa-results-sharing"].status == "discussed"


def test_same_version_with_other_content_is_refused(services, nrw_doc):
    changed = copy.deepcopy(nrw_doc)
    changed["source"] = "something else"
    with pytest.raises(ValidationError) as error:
        services.catalogs.install(changed)
    assert "higher version" in str(error.value)
    assert services.store.conn.execute("SELECT count(*) FROM catalogs").fetchone()[0] == 0


def test_catalogue_valid_from_in_the_future_waits(services, nrw_doc):
    later = copy.deepcopy(nrw_doc)
    later["version"], later["valid_from"] = "2027.1", "2027-08-01"
    services.catalogs.install(later)
    assert services.catalogs.get(on=date(2027, 7, 31)).version == nrw_doc["version"]
    assert services.catalogs.get(on=date(2027, 8, 1)).version == "2027.1"


def test_cli_install_and_use(cli, tmp_path, nrw_doc):
    assert cli("init", "--name", "Ayla").code == 0
    newer = dict(nrw_doc, version="2026.5")
    path = tmp_path / "newer.json"
    path.write_text(json.dumps(newer), encoding="utf-8")
    result = cli("catalog", "install", str(path))
    assert result.code == 0 and "replaces" in result.out
    assert "unchanged" not in result.out and cli("catalog", "install", str(path)).code == 0
    listed = {c["id"]: c for c in cli("catalog", "list", "--json").json()}
    assert listed["nrw-kaoa"]["version"] == "2026.5" and listed["nrw-kaoa"]["active"]
    assert cli("catalog", "use", "generic-bop").code == 0
    assert cli("stages", "--json").json()["catalog"] == "generic-bop"
    assert cli("catalog", "use", "nope").code == 1


def test_a_store_holding_the_earlier_release_gets_the_bundled_texts(services, nrw_doc):
    """An office package of an earlier release left 2026.2 (descriptions in German and English only) in
    navigators' stores; the bundled catalogue must win over it, not be refused as "same version"."""
    earlier = copy.deepcopy(nrw_doc)
    earlier["version"] = "2026.2"
    described = [stage for stage in earlier["stages"] if "description" in stage]
    assert described
    for stage in described:
        stage["description"] = {k: v for k, v in stage["description"].items() if k in ("de", "en")}
    assert services.catalogs.install(earlier).status in ("installed", "replaced", "older")
    current = services.catalogs.get("nrw-kaoa")
    assert current.version == nrw_doc["version"]
    assert all("tr" in stage["description"] for stage in catalog_to_document(current)["stages"] if "description" in stage)
    assert services.catalogs.install(nrw_doc).status in ("unchanged", "installed")  # the office sends it on
