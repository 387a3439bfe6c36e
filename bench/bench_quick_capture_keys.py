"""Stopwatch: a family with two children recorded in quick capture by keyboard alone.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_quick_capture_keys.py [--lang de] [--pace 0.15]

Types what a navigator types at a stand, key by key through ``QTest`` (as a person,
no widget calls): parent's name, language by part of its name ("arab", Down, Enter),
phone, first child (grade, name, school), Alt+<its letter> "Add a child", second child, the
evidence (Space), the consent boxes (store, contact by phone), Ctrl+S.  Prints the
number of keystrokes, the app's own time for them (``--pace 0``: no pauses, what the
program costs) and the time at ``--pace`` seconds per keystroke (default 0.15 s,
about 80 characters a minute with pauses, a fast-but-normal typist) including the
app's time.  Checks that the family was stored with both children; times are
printed, never asserted.  Under Xvfb with a window manager (``xvfb-run``) or
offscreen; offscreen has no window manager, so the focus is handed back to the
window once after the language suggestion list closes (as the tests do).
"""

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from elternlotse.app import create_store
from elternlotse.domain.consent import Evidence, Purpose
from elternlotse.store.keys import KeyDerivation
from elternlotse.ui.i18n_qt import install_language
from elternlotse.ui.pages.quick_capture_page import QuickCapturePage


class Keyboard:
    """Keystrokes through QTest, counted, with a pause after each one like a person's."""

    def __init__(self, pace: float) -> None:
        self.pace, self.count, self.paused = pace, 0, 0.0

    def focused(self):
        return QApplication.activePopupWidget() or QApplication.focusWidget()

    def _after(self) -> None:
        self.count += 1
        QApplication.processEvents()
        if self.pace:
            started = time.perf_counter()
            while time.perf_counter() - started < self.pace:
                QApplication.processEvents()
                time.sleep(0.005)
            self.paused += self.pace

    def type(self, text: str) -> None:
        for char in text:
            QTest.keyClicks(self.focused(), char)
            self._after()

    def key(self, key, modifier=Qt.KeyboardModifier.NoModifier, times: int = 1) -> None:
        for _ in range(times):
            QTest.keyClick(self.focused(), key, modifier)
            self._after()

    def tab_to(self, widget, limit: int = 30) -> None:
        for _ in range(limit):
            if self.focused() is widget:
                return
            self.key(Qt.Key.Key_Tab)
        raise RuntimeError(f"Tab never reached {widget}")


def wait_until(condition, timeout: float = 5.0) -> None:
    deadline = time.perf_counter() + timeout
    while not condition():
        if time.perf_counter() > deadline:
            raise RuntimeError("timed out")
        QApplication.processEvents()
        time.sleep(0.002)


def capture(page: QuickCapturePage, keys: Keyboard) -> None:
    keys.type("Fatma Demir")
    keys.key(Qt.Key.Key_Tab)
    keys.type("arab")
    keys.key(Qt.Key.Key_Down)
    keys.key(Qt.Key.Key_Return)
    wait_until(lambda: page.language.currentData() == "ar")
    if QApplication.platformName() == "offscreen":
        page.activateWindow()
        wait_until(page.isActiveWindow)
    keys.key(Qt.Key.Key_Tab)
    keys.type("0176 9876 5432")
    keys.tab_to(page.child_rows[0].grade)
    keys.type("8")
    keys.key(Qt.Key.Key_Tab)
    keys.type("Yusuf")
    keys.key(Qt.Key.Key_Tab)
    keys.type("Gesamtschule Haspe")
    letter = re.search(r"&(\w)", page.add_child_button.text()).group(1)  # Alt+C in English, Alt+K in German
    keys.key(getattr(Qt.Key, f"Key_{letter.upper()}", letter), Qt.KeyboardModifier.AltModifier)  # "Add a child"
    wait_until(lambda: len(page.child_rows) == 2 and keys.focused() is page.child_rows[1].grade)
    keys.type("6")
    keys.key(Qt.Key.Key_Tab)
    keys.type("Elif")
    keys.tab_to(page.evidence_buttons[Evidence.SIGNED_FORM])
    keys.key(Qt.Key.Key_Space)
    keys.tab_to(page.consent.boxes[(Purpose.STORE, None)])
    keys.key(Qt.Key.Key_Space)                                       # store
    keys.key(Qt.Key.Key_Tab)
    keys.key(Qt.Key.Key_Space)                                       # contact by phone
    keys.key(Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)      # save


def run(lang: str, pace: float, data: Path) -> tuple[int, float, float]:
    app = QApplication.instance() or QApplication(sys.argv)
    install_language(app, lang)
    # The tests' cheap key derivation: creating the store is not what is timed here.
    services = create_store(data, "bench passphrase words", "Ayla Navigator", "KoKo Hagen",
                            key_derivation=KeyDerivation(memory_kib=64, iterations=1, lanes=1))
    try:
        page = QuickCapturePage(services)
        page.resize(1366, 720)
        page.show()
        page.activateWindow()
        wait_until(page.isActiveWindow)
        page.name.setFocus()
        saved: list[str] = []
        page.family_saved.connect(saved.append)
        keys = Keyboard(pace)
        started = time.perf_counter()
        capture(page, keys)
        wait_until(lambda: bool(saved))
        elapsed = time.perf_counter() - started
        family = services.families.get(saved[0])
        children = [(c.grade, c.first_name) for c in family.children]
        if children != [(8, "Yusuf"), (6, "Elif")]:
            raise RuntimeError(f"stored children: {children}")
        page.duplicates.clear()
        page.close()
        return keys.count, elapsed, keys.paused
    finally:
        services.store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", default="de")
    parser.add_argument("--pace", type=float, default=0.15, help="seconds per keystroke for the person's run")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        count, machine, _ = run(args.lang, 0.0, Path(tmp) / "a")
        count2, person, paused = run(args.lang, args.pace, Path(tmp) / "b")
    print(f"platform {QApplication.platformName()}, UI language {args.lang}")
    print(f"keystrokes: {count} (second run {count2})")
    print(f"app time for all keystrokes, no pauses: {machine:.2f} s ({1000 * machine / count:.1f} ms per keystroke)")
    print(f"at {args.pace:.2f} s per keystroke: {person:.1f} s in all ({paused:.1f} s of it the typist's pauses)")


if __name__ == "__main__":
    main()
