"""Shared fixtures: every test gets its own data folder and a real encrypted store."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from elternlotse.app import create_store
from elternlotse.cli.context import CliContext
from elternlotse.cli.main import build_parser, run
from elternlotse.store.keys import KeyDerivation

PASSPHRASE = "correct horse battery"

#: The tests' key derivation: Argon2id with the smallest parameters, so a store opens in milliseconds.
#: Product code never builds one (test_keys.py checks); it reaches the store only through the explicit
#: ``key_derivation`` parameters that these fixtures pass.
TEST_KDF = KeyDerivation(memory_kib=64, iterations=1, lanes=1)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def services(data_dir: Path):
    services = create_store(data_dir, PASSPHRASE, "Ayla Navigator", "KoKo Hagen", key_derivation=TEST_KDF)
    yield services
    services.store.close()


@pytest.fixture
def office_services(tmp_path: Path):
    services = create_store(tmp_path / "office", PASSPHRASE, "KoKo Hagen", "Stadt Hagen", office=True,
                            key_derivation=TEST_KDF)
    yield services
    services.store.close()


class CliResult:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err

    def json(self):
        return json.loads(self.out)


@pytest.fixture
def cli(data_dir: Path, monkeypatch):
    """Run the CLI in-process: ``cli("family", "list", "--json", stdin=...)``."""
    monkeypatch.setenv("ELTERNLOTSE_PASSPHRASE", PASSPHRASE)

    def invoke(*argv: str, stdin: str = "", data: Path | None = None) -> CliResult:
        parser = build_parser()
        try:
            args = parser.parse_args(["--data-dir", str(data or data_dir), *argv])
        except SystemExit as exit_:
            return CliResult(int(exit_.code or 0), "", "")
        out, err = io.StringIO(), io.StringIO()
        context = CliContext(Path(args.data_dir), out=out, err=err, stdin=io.StringIO(stdin), key_derivation=TEST_KDF)
        code = run(args, context)
        return CliResult(code, out.getvalue(), err.getvalue())

    return invoke


def family_document(name: str = "Ayşe Yılmaz", phone: str = "0176 1234 5678", **extra) -> dict:
    doc = {
        "guardians": [{"id": "g1", "name": name, "languages": ["tr", "de"], "phones": [phone],
                       "emails": ["ayse@example.org"], "messenger": [{"app": "WhatsApp", "handle": phone}]}],
        "children": [{"id": "c1", "first_name": "Elif", "grade": 8, "school": "Gesamtschule Haspe", "school_year": "2026/27"}],
        "consents": [
            {"person": "g1", "purpose": "store", "granted": True, "at": "2026-11-01T10:00:00Z", "evidence": "signed_form",
             "text_version": "2026-1", "text_language": "tr"},
            {"person": "g1", "purpose": "contact", "channel": "phone", "granted": True, "at": "2026-11-01T10:00:00Z",
             "evidence": "signed_form", "text_version": "2026-1", "text_language": "tr"},
            {"person": "g1", "purpose": "invitations", "granted": True, "at": "2026-11-01T10:00:00Z",
             "evidence": "signed_form", "text_version": "2026-1", "text_language": "tr"},
        ],
        "notes": "Kam über das Familienbildungscafé.",
    }
    doc.update(extra)
    return doc
