"""SIGKILL at random points of export and import: the store stays consistent, the file is complete or absent."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import PASSPHRASE, TEST_KDF
from elternlotse.app import create_store, open_store
from elternlotse.services.demo import fill_demo
from sync_helpers import link

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")]

CHILD = r"""
import sys
from pathlib import Path
from elternlotse.app import open_store
services = open_store(Path(sys.argv[2]), sys.argv[3])
services.sync.secrets()
print("ready", flush=True)
if sys.argv[1] == "export":
    services.sync.export(Path(sys.argv[4]))
else:
    services.sync.import_files([Path(sys.argv[4])])
print("done", flush=True)
"""


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    root = tmp_path_factory.mktemp("kill-template")
    nav = create_store(root / "nav", PASSPHRASE, "Lotsin", key_derivation=TEST_KDF)
    office = create_store(root / "office", PASSPHRASE, "KoKo", office=True, key_derivation=TEST_KDF)
    link(nav, office)
    fill_demo(nav, families=600, seed=3)
    started = time.perf_counter()
    nav.sync.export(root / "full.elsync")
    export_seconds = time.perf_counter() - started
    nav.store.conn.execute("UPDATE sync_peers SET seq_out = 0")   # as if never exported
    nav.store.conn.execute("DELETE FROM sync_files")
    started = time.perf_counter()
    shutil.copytree(root / "office", root / "office-probe")
    probe = open_store(root / "office-probe", PASSPHRASE)
    probe.sync.import_files([root / "full.elsync"])
    import_seconds = time.perf_counter() - started
    expected = probe.families.count()
    for s in (nav, office, probe):
        s.store.close()
    return root, export_seconds, import_seconds, expected


def _run_and_kill(args: list[str], delay: float) -> bool:
    """Start the child, kill it ``delay`` seconds after it is ready; True if it finished first."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
    child = subprocess.Popen([sys.executable, "-c", CHILD, *args], stdout=subprocess.PIPE, env=env, text=True)
    assert child.stdout.readline().strip() == "ready"
    time.sleep(delay)
    finished = child.poll() is not None
    if not finished:
        child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    return finished


@pytest.mark.parametrize("attempt", range(4))
def test_killed_export_leaves_store_consistent_and_file_complete_or_absent(template, tmp_path, attempt):
    root, export_seconds, _, expected = template
    shutil.copytree(root / "nav", tmp_path / "nav")
    shutil.copytree(root / "office", tmp_path / "office")
    target = tmp_path / "out.elsync"
    delay = random.Random(attempt).uniform(0, export_seconds * 1.3)
    finished = _run_and_kill(["export", str(tmp_path / "nav"), PASSPHRASE, str(target)], delay)
    print("export finished before the kill:", finished, "file exists:", target.exists())
    nav = open_store(tmp_path / "nav", PASSPHRASE)
    try:
        assert nav.store.integrity_ok()
        peer = nav.sync.peers()[0]
        out = nav.store.conn.execute("SELECT count(*) FROM sync_files WHERE direction = 'out'").fetchone()[0]
        assert peer.seq_out == out and out in (0, 1)
        assert nav.families.count() == 600
    finally:
        nav.store.close()
    if target.exists():
        office = open_store(tmp_path / "office", PASSPHRASE)
        try:
            report = office.sync.import_files([target])
            assert report.refused == 0 and office.families.count() == expected
        finally:
            office.store.close()


@pytest.mark.parametrize("attempt", range(4))
def test_killed_import_applies_all_or_nothing(template, tmp_path, attempt):
    root, _, import_seconds, expected = template
    shutil.copytree(root / "office", tmp_path / "office")
    delay = random.Random(100 + attempt).uniform(0, import_seconds * 1.3)
    finished = _run_and_kill(["import", str(tmp_path / "office"), PASSPHRASE, str(root / "full.elsync")], delay)
    office = open_store(tmp_path / "office", PASSPHRASE)
    try:
        print("import finished before the kill:", finished)
        assert office.store.integrity_ok()
        booked = office.store.conn.execute("SELECT count(*) FROM sync_files").fetchone()[0]
        families = office.families.count()
        assert (booked, families) in ((0, 0), (1, expected))
        if families:   # the search index was rebuilt in the same transaction
            first = office.families.list()[0]
            assert first.id in [r.id for r in office.families.list(first.guardians.split(" / ")[0])]
        report = office.sync.import_files([root / "full.elsync"])   # importing again completes or changes nothing
        assert report.refused == 0 and office.families.count() == expected
    finally:
        office.store.close()
