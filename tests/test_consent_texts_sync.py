"""A new consent-text version installed at the office reaches the navigators through sync."""

from __future__ import annotations

import json
from sync_helpers import link

from elternlotse.resources import project_path


def _new_version(language: str, version: str = "2027-1") -> dict:
    document = json.loads(project_path("resources", "consent-texts", "2026-1", f"{language}.json").read_text("utf-8"))
    document["version"] = version
    document["intro"] = document["intro"] + " (" + version + ")"
    return document


def test_office_texts_travel_to_the_navigator_and_become_current(services, office_services, tmp_path):
    nav, office = services, office_services
    link(nav, office)
    before = nav.consent_texts.current_version()
    for language in ("de", "en"):
        office.consent_texts.install(_new_version(language))
    office.sync.export(tmp_path / "to-nav.elsync", to=nav.store.info.node_id)
    report = nav.sync.import_files([tmp_path / "to-nav.elsync"])
    assert any("consent-text 2027-1/de: installed" in line for line in report.catalogs)
    assert before != "2027-1" and nav.consent_texts.current_version() == "2027-1"
    choice = nav.consent_texts.for_parent("de")
    assert choice.version == "2027-1" and "(2027-1)" in choice.texts[0].intro
    # a language the new version does not have falls back to German and English of that version
    assert nav.consent_texts.for_parent("tr").fallback
    # a version without English (no fallback pair) does not become current
    office.consent_texts.install(_new_version("de", "2028-1"))
    assert office.consent_texts.current_version() == "2027-1"
    assert "2028-1" in office.consent_texts.versions()


def test_cli_installs_texts_and_refuses_a_broken_file_without_writing(cli, tmp_path, data_dir):
    assert cli("init", "--name", "KoKo", "--office").code == 0
    good = tmp_path / "de.json"
    good.write_text(json.dumps(_new_version("de")), encoding="utf-8")
    broken_doc = _new_version("en")
    broken_doc["purposes"].pop("photos")
    broken = tmp_path / "en.json"
    broken.write_text(json.dumps(broken_doc), encoding="utf-8")
    refused = cli("consent", "install-texts", str(good), str(broken))
    assert refused.code == 1 and "purposes.photos" in refused.err
    installed = cli("consent", "install-texts", str(good))
    assert installed.code == 0 and "2027-1" in installed.out


def test_only_installed_versions_travel_not_the_bundled_ones(office_services):
    from elternlotse.services.sync_collect import CATALOG_EXPORTERS

    items = [item for exporter in CATALOG_EXPORTERS for item in exporter(office_services.store)]
    assert not [i for i in items if i["kind"] == "consent-text"]
    office_services.consent_texts.install(_new_version("de"))
    items = [item for exporter in CATALOG_EXPORTERS for item in exporter(office_services.store)]
    assert [(i["key"], i["version"]) for i in items if i["kind"] == "consent-text"] == [("de", "2027-1")]
