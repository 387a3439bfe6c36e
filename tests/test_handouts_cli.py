"""The handout command: list, render, personalise, and its refusals."""

from __future__ import annotations

import io
import re

import pypdf

from elternlotse.handouts import LANGUAGES, HandoutLibrary

from conftest import family_document


def _text(path) -> str:
    reader = pypdf.PdfReader(str(path))
    return re.sub(r"\s+", " ", " ".join(p.extract_text() or "" for p in reader.pages))


def test_list_shows_topics_by_languages(cli):
    result = cli("handout", "--list")
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[0].split() == list(LANGUAGES)
    assert any(line.startswith("dual-training ") for line in lines)
    data = cli("handout", "--list", "--json").json()
    assert data["languages"] == list(LANGUAGES)
    topics = {row["topic"]: row for row in data["topics"]}
    assert set(topics) == {t.id for t in HandoutLibrary().topics()}
    assert topics["dual-training"]["languages"]["de"] == "reviewed"
    assert set(topics["dual-training"]["languages"].values()) <= {"reviewed", "unreviewed", "missing"}


def test_handout_written_without_a_store(cli, tmp_path):
    out = tmp_path / "h.pdf"
    result = cli("handout", "dual-training", "--lang", "tr", "--with", "de", "-o", str(out))
    assert result.code == 0, result.err
    assert str(out) in result.out
    text = _text(out)
    assert HandoutLibrary().load("dual-training", "tr").title.split()[0] in text
    assert HandoutLibrary().load("dual-training", "de").title.split()[0] in text


def test_unknown_topic_or_language_one_sentence_exit_1_no_file(cli, tmp_path):
    out = tmp_path / "h.pdf"
    for argv, needle in (
        (("handout", "no-such-topic", "--lang", "tr"), "no-such-topic"),
        (("handout", "dual-training", "--lang", "xx"), "xx"),
        (("handout", "dual-training", "--lang", "tr", "--with", "zz"), "zz"),
        (("handout", "dual-training", "--lang", "tr", "--with", "en"), "German"),
    ):
        result = cli(*argv, "-o", str(out))
        assert result.code == 1, argv
        assert needle in result.err
        assert result.err.count("\n") == 1 and result.err.strip().endswith(".")
        assert not out.exists()
        assert list(tmp_path.iterdir()) == []
    result = cli("handout", "dual-training", "--lang", "tr")
    assert result.code == 1 and "-o" in result.err


def test_personalised_handout_for_a_family(cli, services, tmp_path):
    family = services.families.add(family_document())
    out = tmp_path / "family.pdf"
    result = cli("handout", "dual-training", "--lang", "tr", "--with", "de", "--family", family.id, "-o", str(out))
    assert result.code == 0, result.err
    text = _text(out)
    assert "Ayşe Yılmaz" in text and "Elif" in text
    assert "Ayla Navigator" in text  # the navigator's name from the store
    missing = cli("handout", "dual-training", "--lang", "tr", "--family", "nope", "-o", str(tmp_path / "x.pdf"))
    assert missing.code == 1 and not (tmp_path / "x.pdf").exists()


def test_self_test_renders_a_handout(cli):
    result = cli("self-test")
    assert result.code == 0, result.err
    assert "handout: ok" in result.out


def test_handout_service_batch_and_family_language(services):
    from elternlotse.services.handouts import HandoutService

    ayse = services.families.add(family_document())
    olena = services.families.add(family_document(name="Olena Petrenko", phone="0176 9999 1111",
                                                  guardians=[{"id": "g1", "name": "Olena Petrenko", "languages": ["uk"]}],
                                                  consents=[{"person": "g1", "purpose": "store", "granted": True,
                                                             "at": "2026-11-01T10:00:00Z", "evidence": "signed_form",
                                                             "text_version": "2026-1", "text_language": "uk"}]))
    handouts = getattr(services, "handouts", None) or HandoutService(services.store, services.families,
                                                                    getattr(services, "checklists", None))
    assert handouts.family_language(services.families.get(olena.id), ["de", "uk"]) == "uk"
    data = handouts.render_batch("dual-training", [ayse.id, olena.id])
    reader = pypdf.PdfReader(io.BytesIO(data))
    text = " ".join(p.extract_text() for p in reader.pages)
    assert "Ayşe Yılmaz" in text and "Olena Petrenko" in text
    assert len(reader.pages) >= 2


def test_personalised_handout_lists_next_steps_from_the_checklist(services):
    family = services.families.add(family_document())
    provider = services.handouts.next_steps()
    assert provider is not None
    steps = provider(family.children[0], "de")
    assert 1 <= len(steps) <= 4
    data = services.handouts.render("kaoa-path", "tr", "de", family.id)
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages))
    assert steps[0].split(":")[0] in text


def test_contact_set_from_the_cli_is_printed(cli, services, tmp_path):
    result = cli("handout", "--set-contact", "  Tel. 0176 1234567,\tdienstags 16-18 Uhr ")
    assert result.code == 0, result.err
    assert services.handouts.contact() == "Tel. 0176 1234567, dienstags 16-18 Uhr"
    out = tmp_path / "privacy.pdf"
    assert cli("handout", "privacy-information", "--lang", "de", "-o", str(out)).code == 0
    assert "0176 1234567, dienstags 16-18 Uhr" in _text(out)
    too_long = cli("handout", "--set-contact", "x" * 201)
    assert too_long.code == 1 and "200" in too_long.err
    assert services.handouts.contact() == "Tel. 0176 1234567, dienstags 16-18 Uhr"
    assert cli("handout", "--set-contact", "").code == 0 and services.handouts.contact() == ""
