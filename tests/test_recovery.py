"""The recovery key: format and typos, `passphrase recovery-key` / `recover`, tampering, SIGKILL."""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from elternlotse.app import create_store, open_store
from elternlotse.domain.errors import ElternlotseError, ValidationError, WrongPassphraseError
from elternlotse.services.recovery import create_recovery_key, has_recovery_key, recover
from elternlotse.store import recovery
from tests.conftest import PASSPHRASE, TEST_KDF, family_document

NEW = "Anker Wolke Treppe Seife Kamel"
NEWER = "Leiter Birne Gabel Fenster Dachs"


def _typo(key: str, group: int) -> str:
    chars = list(key)
    index = (group - 1) * 6 + 1  # second character of the group (groups of 5 plus a hyphen)
    alphabet = recovery.ALPHABET
    chars[index] = alphabet[(alphabet.index(chars[index]) + 7) % 32]
    return "".join(chars)


def test_a_typo_names_its_group_and_forgiving_input_is_read():
    key = recovery.new_recovery_key()
    assert len(key.replace("-", "")) == 35 and key.count("-") == 6
    data = recovery.parse_key(key)
    assert recovery.parse_key(key.lower().replace("-", " ")) == data
    assert recovery.parse_key(key.replace("0", "O").replace("1", "l")) == data
    for group in range(1, 8):
        with pytest.raises(ValidationError) as caught:
            recovery.parse_key(_typo(key, group))
        assert caught.value.params["group"] == group
    with pytest.raises(ValidationError) as caught:
        recovery.parse_key(key[:-2])
    assert caught.value.message_id == recovery.WRONG_LENGTH
    with pytest.raises(ValidationError) as caught:
        recovery.parse_key("U" + key[1:])
    assert caught.value.message_id == recovery.WRONG_CHARACTER and caught.value.params["group"] == 1


@pytest.fixture
def store_with_key(data_dir, tmp_path):
    services = create_store(data_dir, PASSPHRASE, "Ayla", "KoKo Hagen", key_derivation=TEST_KDF)
    services.families.add(family_document())
    assert not has_recovery_key(services.store)
    key = create_recovery_key(services.store, tmp_path / "sheet.pdf", "ar")
    assert has_recovery_key(services.store)
    services.store.close()
    return key


def test_recover_sets_a_new_passphrase_and_the_old_one_stops_working(store_with_key, data_dir, tmp_path):
    sheet = tmp_path / "sheet.pdf"
    assert sheet.read_bytes().startswith(b"%PDF") and (sheet.stat().st_mode & 0o777) == 0o600
    recover(data_dir, store_with_key, NEW, TEST_KDF)
    with pytest.raises(WrongPassphraseError):
        open_store(data_dir, PASSPHRASE, key_derivation=TEST_KDF)
    services = open_store(data_dir, NEW, key_derivation=TEST_KDF)
    assert services.families.count() == 1
    services.store.close()
    # the same recovery key goes on working, also after an ordinary passphrase change
    from elternlotse.store.database import change_passphrase

    change_passphrase(data_dir, NEW, NEWER, TEST_KDF)
    recover(data_dir, store_with_key, NEW, TEST_KDF)
    open_store(data_dir, NEW, key_derivation=TEST_KDF).store.close()


def test_a_new_recovery_key_replaces_the_old_one(store_with_key, data_dir):
    services = open_store(data_dir, PASSPHRASE, key_derivation=TEST_KDF)
    second = create_recovery_key(services.store, None, "en")
    services.store.close()
    with pytest.raises(ValidationError) as caught:
        recover(data_dir, store_with_key, NEW, TEST_KDF)
    assert caught.value.message_id == recovery.NOT_THIS_STORE
    recover(data_dir, second, NEW, TEST_KDF)


def test_wrong_and_mistyped_keys_are_one_sentence_and_change_nothing(store_with_key, data_dir, cli, monkeypatch):
    before = (data_dir / "elternlotse.key").read_bytes()
    monkeypatch.setenv("ELTERNLOTSE_NEW_PASSPHRASE", NEW)
    monkeypatch.setenv("ELTERNLOTSE_RECOVERY_KEY", _typo(store_with_key, 4))
    typo = cli("passphrase", "recover")
    assert typo.code == 1 and "group 4" in typo.err and typo.err.count("\n") == 1
    monkeypatch.setenv("ELTERNLOTSE_RECOVERY_KEY", recovery.new_recovery_key())
    other = cli("passphrase", "recover")
    assert other.code == 1 and "does not belong to this store" in other.err and other.err.count("\n") == 1
    monkeypatch.setenv("ELTERNLOTSE_RECOVERY_KEY", store_with_key)
    monkeypatch.setenv("ELTERNLOTSE_NEW_PASSPHRASE", "aaaaaaaa")
    weak = cli("passphrase", "recover")
    assert weak.code == 1 and "too easy to guess" in weak.err
    assert (data_dir / "elternlotse.key").read_bytes() == before
    open_store(data_dir, PASSPHRASE, key_derivation=TEST_KDF).store.close()


def test_a_tampered_wrapped_key_is_refused_with_one_sentence(store_with_key, data_dir, cli, monkeypatch):
    key_path = data_dir / "elternlotse.key"
    data = json.loads(key_path.read_text())
    sealed = bytearray(base64.b64decode(data["recovery"]["store_key"]))
    sealed[20] ^= 0x01
    data["recovery"]["store_key"] = base64.b64encode(bytes(sealed)).decode()
    key_path.write_text(json.dumps(data))
    monkeypatch.setenv("ELTERNLOTSE_NEW_PASSPHRASE", NEW)
    monkeypatch.setenv("ELTERNLOTSE_RECOVERY_KEY", store_with_key)
    result = cli("passphrase", "recover")
    assert result.code == 1 and "was altered" in result.err and result.err.count("\n") == 1
    # a slot of the wrong shape makes the key file damaged, for every opener
    data["recovery"]["store_key"] = base64.b64encode(bytes(sealed[:-1])).decode()
    key_path.write_text(json.dumps(data))
    with pytest.raises(ElternlotseError) as caught:
        open_store(data_dir, PASSPHRASE, key_derivation=TEST_KDF)
    assert "damaged" in caught.value.message_id


def test_cli_recovery_key_and_recover(cli, data_dir, tmp_path, monkeypatch):
    assert cli("init", "--name", "Ayla").code == 0
    assert cli("family", "add", "-", stdin=json.dumps(family_document())).code == 0
    quiet = cli("passphrase", "recovery-key", "-o", str(tmp_path / "a.pdf"))
    assert quiet.code == 0 and (tmp_path / "a.pdf").is_file()
    shown = cli("passphrase", "recovery-key", "-o", str(tmp_path / "b.pdf"), "--show")
    assert shown.code == 0
    key = shown.out.strip().splitlines()[-1]
    assert key not in quiet.out and recovery.parse_key(key)
    monkeypatch.setenv("ELTERNLOTSE_RECOVERY_KEY", key)
    monkeypatch.setenv("ELTERNLOTSE_NEW_PASSPHRASE", NEW)
    assert cli("passphrase", "recover").code == 0
    monkeypatch.setenv("ELTERNLOTSE_PASSPHRASE", NEW)
    listed = cli("family", "list", "--json")
    assert listed.code == 0 and len(listed.json()) == 1


def test_a_sheet_that_cannot_be_written_is_one_sentence_and_no_key(cli, data_dir, tmp_path):
    assert cli("init", "--name", "Ayla").code == 0
    before = (data_dir / "elternlotse.key").read_bytes()
    missing = cli("passphrase", "recovery-key", "-o", str(tmp_path / "gone" / "sheet.pdf"))
    assert missing.code == 1 and "cannot be written" in missing.err and missing.err.count("\n") == 1
    folder = cli("passphrase", "recovery-key", "-o", str(tmp_path))
    assert folder.code == 1 and "is a folder" in folder.err
    assert (data_dir / "elternlotse.key").read_bytes() == before


def test_a_store_without_recovery_key_says_so_plainly(cli, data_dir, monkeypatch):
    assert cli("init", "--name", "Ayla").code == 0
    monkeypatch.setenv("ELTERNLOTSE_RECOVERY_KEY", recovery.new_recovery_key())
    monkeypatch.setenv("ELTERNLOTSE_NEW_PASSPHRASE", NEW)
    result = cli("passphrase", "recover")
    assert result.code == 1 and "cannot be opened" in result.err


# ---------------------------------------------------------------- SIGKILL during recover

CHILD = r"""
import os, pathlib, signal, sys
from elternlotse.services.recovery import recover
from elternlotse.store.keys import KeyDerivation
folder, key, kill_at, memory, new = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
calls = [0]
def deadly(real, counts=lambda *args: True):
    def wrapper(*args, **kwargs):
        if counts(*args):
            calls[0] += 1
            if calls[0] == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)
        return real(*args, **kwargs)
    return wrapper
os.replace = deadly(os.replace)
os.fsync = deadly(os.fsync)
pathlib.Path.unlink = deadly(pathlib.Path.unlink, counts=lambda path, *rest: path.exists())
recover(pathlib.Path(folder), key, new, KeyDerivation(memory_kib=memory, iterations=1, lanes=1))
print("done", flush=True)
"""


@pytest.mark.slow
def test_sigkill_at_every_file_operation_of_recover(tmp_path):
    template = tmp_path / "template"
    services = create_store(template, PASSPHRASE, "Ayla", key_derivation=TEST_KDF)
    for index in range(3):
        services.families.add(family_document(name=f"Person {index}"))
    key = create_recovery_key(services.store, None, "en")
    services.store.close()
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
    opened = []
    for kill_at in range(1, 40):
        folder = tmp_path / f"k{kill_at}"
        shutil.copytree(template, folder)
        out = subprocess.run([sys.executable, "-c", CHILD, str(folder), key, str(kill_at), str(TEST_KDF.memory_kib), NEW],
                             capture_output=True, text=True, env=env, timeout=60).stdout
        which = []
        for candidate in (PASSPHRASE, NEW):
            try:
                services = open_store(folder, candidate, key_derivation=TEST_KDF)
            except WrongPassphraseError:
                continue
            assert services.families.count() == 3 and services.store.integrity_ok()
            services.store.close()
            which.append(candidate)
        assert len(which) == 1, f"kill at {kill_at}: opens with {which}"
        opened.append(which[0])
        recover(folder, key, NEWER, TEST_KDF)  # the recovery key still works after every kill
        if "done" in out:
            break
    assert "done" in out and opened[0] == PASSPHRASE and opened[-1] == NEW and len(opened) > 5
    print(f"{len(opened)} kill points, {opened.index(NEW)} of them before the commit point")
