"""Passphrase strength, the suggestion, `elternlotse passphrase change` and its crash safety."""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from elternlotse.app import open_store
from elternlotse.domain.errors import ValidationError, WrongPassphraseError
from elternlotse.services import passphrase
from tests.conftest import PASSPHRASE, TEST_KDF, family_document

NEW = "Anker Wolke Treppe Seife Kamel"


def test_weak_passphrases_are_refused_and_strong_ones_pass():
    for weak in ("aaaaaaaa", "password1", "12345678", "qwertzuiop", "Hagen2026", "elternlotse"):
        with pytest.raises(ValidationError):
            passphrase.check_strength(weak, ("Ayla Demir",))
    assert not passphrase.strength("aaaaaaaa").acceptable and passphrase.strength("aaaaaaaa").score < passphrase.MIN_SCORE
    passphrase.check_strength(NEW)
    with pytest.raises(ValidationError) as error:
        passphrase.check_strength("short")
    assert "at least" in str(error.value)


def test_suggestions_are_five_listed_words_that_pass_the_check():
    words = set(passphrase.word_list())
    assert len(words) >= 256 and all(w.isascii() and w.isalpha() and w.islower() for w in words)
    seen = set()
    for _ in range(40):
        suggestion = passphrase.suggest()
        parts = suggestion.split(" ")
        assert len(parts) == passphrase.SUGGESTED_WORDS and set(parts) <= words
        assert passphrase.strength(suggestion).acceptable
        seen.add(suggestion)
    assert len(seen) > 35  # drawn at random, not a fixed list


def test_init_refuses_a_weak_passphrase_with_one_sentence(cli, data_dir, monkeypatch):
    monkeypatch.setenv("ELTERNLOTSE_PASSPHRASE", "aaaaaaaa")
    result = cli("init", "--name", "Ayla")
    assert result.code == 1 and result.out == ""
    assert "too easy to guess" in result.err and result.err.count("\n") == 1
    assert not data_dir.exists() or not any(data_dir.iterdir())


def test_init_message_is_translated(cli, monkeypatch):
    from elternlotse import i18n

    monkeypatch.setenv("ELTERNLOTSE_PASSPHRASE", "aaaaaaaa")
    i18n.install("de")
    try:
        result = cli("init", "--name", "Ayla")
        german = i18n._(passphrase.WEAK_MESSAGE)
    finally:
        i18n.install("en")
    assert result.code == 1 and german != passphrase.WEAK_MESSAGE
    assert german.split("{")[0] in result.err and "too easy" not in result.err


def test_passphrase_change_from_the_cli(cli, data_dir, monkeypatch):
    assert cli("init", "--name", "Ayla").code == 0
    assert cli("family", "add", "-", stdin=json.dumps(family_document())).code == 0
    monkeypatch.setenv("ELTERNLOTSE_NEW_PASSPHRASE", NEW)
    result = cli("passphrase", "change")
    assert result.code == 0, result.err
    with pytest.raises(WrongPassphraseError):
        open_store(data_dir, PASSPHRASE)
    services = open_store(data_dir, NEW)
    assert services.families.count() == 1
    services.store.close()
    monkeypatch.setenv("ELTERNLOTSE_PASSPHRASE", NEW)
    assert cli("family", "list", "--json").code == 0


def test_passphrase_change_refusals_change_nothing(cli, data_dir, monkeypatch):
    assert cli("init", "--name", "Ayla").code == 0
    before = (data_dir / "elternlotse.key").read_bytes()
    monkeypatch.setenv("ELTERNLOTSE_NEW_PASSPHRASE", "aaaaaaaa")
    weak = cli("passphrase", "change")
    assert weak.code == 1 and "too easy to guess" in weak.err
    monkeypatch.setenv("ELTERNLOTSE_NEW_PASSPHRASE", PASSPHRASE)
    same = cli("passphrase", "change")
    assert same.code == 1 and "same as the old" in same.err
    monkeypatch.setenv("ELTERNLOTSE_NEW_PASSPHRASE", NEW)
    monkeypatch.setenv("ELTERNLOTSE_PASSPHRASE", "wrong but long enough")
    wrong = cli("passphrase", "change")
    assert wrong.code == 1 and "passphrase is wrong" in wrong.err and wrong.err.count("\n") == 1
    monkeypatch.delenv("ELTERNLOTSE_NEW_PASSPHRASE")
    monkeypatch.setenv("ELTERNLOTSE_PASSPHRASE", PASSPHRASE)
    missing = cli("passphrase", "change")
    assert missing.code == 1 and "ELTERNLOTSE_NEW_PASSPHRASE" in missing.err
    assert (data_dir / "elternlotse.key").read_bytes() == before
    open_store(data_dir, PASSPHRASE).store.close()


# ---------------------------------------------------------------- SIGKILL at every step and at random moments

CHILD = r"""
import os, pathlib, signal, sys
from elternlotse.store.database import change_passphrase
from elternlotse.store.keys import KeyDerivation
folder, old, kill_at, memory, new = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
calls = [0]
def deadly(real, counts=lambda *args: True):
    def wrapper(*args, **kwargs):
        if counts(*args):
            calls[0] += 1
            if calls[0] == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)
        return real(*args, **kwargs)
    return wrapper
# Every step of the switch ends in one of these: dying just before each one visits every state on disk.
# (Removing a file that is not there changes nothing on disk, so it is no step.)
os.replace = deadly(os.replace)
os.fsync = deadly(os.fsync)
pathlib.Path.unlink = deadly(pathlib.Path.unlink, counts=lambda path, *rest: path.exists())
print("ready", flush=True)
change_passphrase(pathlib.Path(folder), old, new, KeyDerivation(memory_kib=memory, iterations=1, lanes=1))
print("done", calls[0], flush=True)
"""


def _store(root: Path, families: int) -> tuple[Path, int]:
    from elternlotse.app import create_store
    from elternlotse.services.demo import fill_demo

    services = create_store(root / "store", PASSPHRASE, "Lotsin", key_derivation=TEST_KDF)
    fill_demo(services, families=families, seed=5)
    count = services.families.count()
    services.store.close()
    return root / "store", count


@pytest.fixture(scope="module")
def small_store(tmp_path_factory):
    return _store(tmp_path_factory.mktemp("passphrase-steps"), 5)


@pytest.fixture(scope="module")
def filled_store(tmp_path_factory):
    return _store(tmp_path_factory.mktemp("passphrase-kill"), 300)


def _child(folder: Path, kill_at: int, delay: float | None = None) -> bool:
    """Run the change in a child; SIGKILL at file operation ``kill_at`` or after ``delay`` s. True if it finished."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(folder), PASSPHRASE, str(kill_at), str(TEST_KDF.memory_kib), NEW],
        stdout=subprocess.PIPE, env=env, text=True)
    assert child.stdout.readline().strip() == "ready"
    if delay is not None:
        time.sleep(delay)
        if child.poll() is None:
            child.send_signal(signal.SIGKILL)
    out = child.communicate(timeout=60)[0]
    return "done" in out


def _opens_with_exactly_one(folder: Path, count: int) -> str:
    opened = []
    for candidate in (PASSPHRASE, NEW):
        try:
            services = open_store(folder, candidate)
        except WrongPassphraseError:
            continue
        assert services.families.count() == count and services.store.integrity_ok()
        services.store.close()
        opened.append(candidate)
    assert len(opened) == 1, "the store must open with the old or the new passphrase, never neither"
    assert sorted(p.name for p in folder.iterdir() if not p.name.endswith(("-wal", "-shm"))) == [
        "elternlotse.db", "elternlotse.key"]
    return opened[0]


@pytest.mark.slow
def test_sigkill_at_every_file_operation_of_a_change(small_store, tmp_path):
    template, count = small_store
    results = []
    for kill_at in range(1, 40):
        folder = tmp_path / f"k{kill_at}"
        shutil.copytree(template, folder)
        finished = _child(folder, kill_at)
        results.append(_opens_with_exactly_one(folder, count))
        if finished:
            break
    assert finished, "the change has more file operations than the test walks through"
    assert results[0] == PASSPHRASE and results[-1] == NEW and len(results) > 5
    print(f"{len(results)} kill points, {results.index(NEW)} of them before the commit point")


@pytest.mark.slow
@pytest.mark.parametrize("attempt", range(6))
def test_sigkill_at_a_random_moment_of_a_change(filled_store, tmp_path, attempt):
    template, count = filled_store
    folder = tmp_path / "store"
    shutil.copytree(template, folder)
    _child(folder, 0, delay=random.Random(attempt).uniform(0.0, 0.6))
    _opens_with_exactly_one(folder, count)
