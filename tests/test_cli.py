"""The CLI contract end to end, in-process, on a real encrypted store."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import family_document


def test_init_prints_node_id_and_refuses_a_second_init(cli, data_dir):
    first = cli("init", "--name", "Ayla K.", "--organisation", "KoKo Hagen")
    assert first.code == 0 and len(first.out.strip()) == 16
    again = cli("init", "--name", "Other")
    assert again.code == 1 and "already exists" in again.err and again.out == ""


def test_family_round_trip_through_two_stores(cli, tmp_path):
    assert cli("init", "--name", "A").code == 0
    added = cli("family", "add", "-", stdin=json.dumps(family_document()))
    assert added.code == 0, added.err
    family_id = added.out.strip()
    shown = cli("family", "show", family_id, "--json").json()
    assert shown["guardians"][0]["phones"] == ["+4917612345678"]

    other = tmp_path / "other"
    assert cli("init", "--name", "B", data=other).code == 0
    copy_id = cli("family", "add", "-", stdin=json.dumps(shown), data=other).out.strip()
    copy = cli("family", "show", copy_id, "--json", data=other).json()

    def comparable(doc):
        ids = {p["id"]: f"{kind}{i}" for kind in ("guardians", "children") for i, p in enumerate(doc[kind])}
        strip = lambda p: {k: v for k, v in p.items() if k != "id"}
        return {
            "guardians": [strip(g) for g in doc["guardians"]],
            "children": [strip(c) for c in doc["children"]],
            "consents": [{**c, "person": ids[c["person"]]} for c in doc["consents"]],
            "notes": doc["notes"],
        }

    assert copy_id != family_id
    assert comparable(copy) == comparable(shown)


def test_list_search_and_json_only_on_stdout(cli):
    cli("init", "--name", "A")
    cli("family", "add", "-", stdin=json.dumps(family_document()))
    result = cli("family", "list", "--search", "Yilmaz", "--json")
    rows = result.json()
    assert result.code == 0 and len(rows) == 1 and rows[0]["guardians"] == "Ayşe Yılmaz"
    assert cli("family", "list", "--search", "Petrowa", "--json").json() == []


def test_bad_document_is_refused_with_the_field_and_nothing_written(cli):
    cli("init", "--name", "A")
    doc = family_document()
    doc["guardians"][0]["phones"] = ["0176 12"]
    result = cli("family", "add", "-", stdin=json.dumps(doc))
    assert result.code == 1 and "guardians[0].phones[0]" in result.err and result.err.count("\n") == 1
    assert cli("family", "list", "--json").json() == []
    broken = cli("family", "add", "-", stdin="{not json")
    assert broken.code == 1 and "not valid JSON" in broken.err


def test_missing_file_and_unknown_id_are_exit_1(cli, tmp_path):
    cli("init", "--name", "A")
    assert cli("family", "add", str(tmp_path / "nope.json")).code == 1
    result = cli("family", "show", "00000000-0000-0000-0000-000000000000")
    assert result.code == 1 and "No family" in result.err


def test_usage_errors_are_exit_2(cli):
    assert cli("family").code == 2
    assert cli("consent", "grant", "x", "--purpose", "marketing").code == 2
    assert cli("demo", "--families", "0").code == 2


def test_consent_grant_withdraw_and_show(cli):
    cli("init", "--name", "A")
    family_id = cli("family", "add", "-", stdin=json.dumps(family_document())).out.strip()
    person = cli("family", "show", family_id, "--json").json()["guardians"][0]["id"]
    assert cli("consent", "grant", person, "--purpose", "contact", "--channel", "sms", "--evidence", "signed_form").code == 0
    state = cli("consent", "show", person, "--json").json()
    assert {"purpose": "contact", "channel": "sms"} in [{"purpose": c["purpose"], "channel": c["channel"]} for c in state["current"] if c["granted"]]
    assert cli("consent", "withdraw", person, "--purpose", "contact", "--channel", "sms").code == 0
    state = cli("consent", "show", person, "--json").json()
    sms = [c for c in state["current"] if c["channel"] == "sms"]
    assert sms and sms[0]["granted"] is False
    assert len([h for h in state["history"] if h["channel"] == "sms"]) == 2
    refused = cli("consent", "grant", person, "--purpose", "contact")
    assert refused.code == 1 and "needs a channel" in refused.err


def test_erase_keeps_nothing_personal(cli):
    cli("init", "--name", "A")
    family_id = cli("family", "add", "-", stdin=json.dumps(family_document())).out.strip()
    assert cli("family", "erase", family_id).code == 0
    assert cli("family", "show", family_id).code == 1
    assert cli("family", "list", "--search", "Yilmaz", "--json").json() == []


def test_wrong_passphrase_is_one_sentence(cli, monkeypatch):
    cli("init", "--name", "A")
    monkeypatch.setenv("ELTERNLOTSE_PASSPHRASE", "wrong passphrase here")
    result = cli("family", "list")
    assert result.code == 1 and "passphrase is wrong" in result.err and "Traceback" not in result.err


def test_demo_is_deterministic_per_seed(cli, tmp_path):
    for name in ("a", "b"):
        assert cli("demo", "--families", "15", "--seed", "4", data=tmp_path / name).code == 0
    lists = [[(r["guardians"], r["children"], r["phone"]) for r in cli("family", "list", "--json", data=tmp_path / n).json()]
             for n in ("a", "b")]
    assert lists[0] == lists[1] and len(lists[0]) == 15


@pytest.mark.slow
def test_console_script_version_and_self_test(tmp_path):
    env = {**os.environ, "ELTERNLOTSE_DATA_DIR": str(tmp_path), "QT_QPA_PLATFORM": "offscreen"}
    env.pop("ELTERNLOTSE_PASSPHRASE", None)
    version = subprocess.run([sys.executable, "-m", "elternlotse", "--version"], capture_output=True, text=True, env=env)
    assert version.returncode == 0 and version.stdout.startswith("elternlotse ")
    test = subprocess.run([sys.executable, "-m", "elternlotse", "self-test"], capture_output=True, text=True, env=env)
    assert test.returncode == 0, test.stderr
    assert "self-test passed" in test.stdout
    no_pass = subprocess.run([sys.executable, "-m", "elternlotse", "family", "list"], capture_output=True, text=True,
                             env=env, stdin=subprocess.DEVNULL)
    assert no_pass.returncode == 1 and "ELTERNLOTSE_PASSPHRASE" in no_pass.stderr
    assert len(no_pass.stderr.strip().splitlines()) == 1
