"""Every page and dialog, walked in several UI languages: unique mnemonics, an accessible name on every control.

A mnemonic (the &-letter, Alt+letter) must mean one thing within one window: the
menu bar's letters and those of the page on show.  Every input, button and table
must have a name in the accessibility tree (what a screen reader says): from its
label (a form row, a buddy), its text, or an explicit accessible name.
"""

from __future__ import annotations

import re
from pprint import pformat

import pytest
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QGroupBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPlainTextEdit,
    QTabWidget,
    QTextEdit,
    QWidget,
)

from elternlotse.app import open_store
from elternlotse.i18n import install
from elternlotse.ui.i18n_qt import install_language
from elternlotse.ui.main_window import MainWindow
from elternlotse.ui.tasks import TaskRunner
from tests.conftest import PASSPHRASE, family_document

LANGUAGES = ("en", "de", "tr", "ar", "uk", "fa", "ru")  # every UI language
_MNEMONIC = re.compile(r"(?<!&)&([^&\s])")


def mnemonic(text: str) -> str:
    match = _MNEMONIC.search(text or "")
    return match.group(1).casefold() if match else ""


def mnemonics_of(top: QWidget, menu_bar=None) -> list[tuple[str, str]]:
    """(letter, text) for every mnemonic reachable in ``top`` as it is shown now."""
    found: list[tuple[str, str]] = []
    if menu_bar is not None:
        found += [(mnemonic(a.text()), a.text()) for a in menu_bar.actions() if mnemonic(a.text())]
    for widget in top.findChildren(QWidget):
        if not widget.isVisibleTo(top):
            continue
        texts = []
        if isinstance(widget, QAbstractButton) or isinstance(widget, QLabel) and widget.buddy() is not None and widget.buddy().isVisibleTo(top):
            texts.append(widget.text())
        elif isinstance(widget, QGroupBox) and widget.isCheckable():
            texts.append(widget.title())
        elif isinstance(widget, QTabWidget):
            texts += [widget.tabText(i) for i in range(widget.count()) if widget.isTabVisible(i)]
        found += [(mnemonic(t), t) for t in texts if mnemonic(t)]
    return found


def duplicates(found: list[tuple[str, str]]) -> dict[str, list[str]]:
    by_letter: dict[str, list[str]] = {}
    for letter, text in found:
        by_letter.setdefault(letter, []).append(text)
    return {letter: texts for letter, texts in by_letter.items() if len(texts) > 1}


_NAMED = (QLineEdit, QComboBox, QAbstractSpinBox, QAbstractButton, QAbstractItemView, QPlainTextEdit, QTextEdit)


def unnamed_controls(top: QWidget) -> list[str]:
    """Controls shown in ``top`` whose accessible name is empty."""
    missing = []
    for widget in top.findChildren(QWidget):
        if not isinstance(widget, _NAMED) or isinstance(widget, QHeaderView) or not widget.isVisibleTo(top):
            continue
        if isinstance(widget, QLineEdit) and isinstance(widget.parent(), (QComboBox, QAbstractSpinBox)):
            continue  # the combo box or spin box itself carries the name
        if widget.parent() is not None and type(widget.parent()).__name__ in ("QTabBar", "QScrollBar"):
            continue
        if type(widget).__name__ in ("QToolButton",) and widget.objectName().startswith("qt_"):
            continue  # Qt's own scroll arrows and the like
        interface = QAccessible.queryAccessibleInterface(widget)
        name = interface.text(QAccessible.Text.Name) if interface is not None else ""
        if not name.strip():
            missing.append(f"{type(widget).__name__} {widget.objectName()!r} placeholder={getattr(widget, 'placeholderText', lambda: '')()!r}"
                           f" in {type(widget.parent()).__name__}")
    return missing


def _window(services, data_dir) -> MainWindow:
    window = MainWindow(services, TaskRunner(lambda: open_store(data_dir, PASSPHRASE)))
    window.resize(1366, 768)
    return window


def _views(window: MainWindow):
    """(name, view) for every page and for the family detail with a family loaded."""
    for index, cls in enumerate(window.page_types):
        window.show_page(index)
        yield cls.__name__, window.current_page()
        if cls.__name__ == "FamiliesPage":
            page = window.current_page()
            page._show_retention(2)  # the notice that families are due for erasure, with its button
            yield "FamiliesPage with the retention notice", page
            page.open_family(window.services.families.list()[0].id)
            for tab in range(page.detail.tabs.count()):
                page.detail.tabs.setCurrentIndex(tab)
                yield f"FamilyDetail tab {tab}", page
            page.detail.tabs.setCurrentIndex(0)
            page.stack.setCurrentIndex(0)


@pytest.fixture
def language(request, qapp):
    yield request.param
    install_language(qapp, "en")
    install("en")


@pytest.mark.parametrize("language", LANGUAGES, indirect=True)
def test_every_page_has_unique_mnemonics_and_named_controls(qtbot, qapp, services, data_dir, language):
    install_language(qapp, language)
    services.families.add(family_document())
    services.families.add(family_document(name="Olena Shevchenko", phone="0176 2345 6789"))
    window = _window(services, data_dir)
    qtbot.addWidget(window)
    window.show()
    problems = {}
    for name, view in _views(window):
        clash = duplicates(mnemonics_of(window, window.menuBar()))
        if clash:
            problems[f"{name}: duplicate mnemonics"] = clash
        unnamed = unnamed_controls(view)
        if unnamed:
            problems[f"{name}: no accessible name"] = unnamed
    window.shutdown()
    assert problems == {}, pformat(problems, width=160)


@pytest.mark.parametrize("language", LANGUAGES, indirect=True)
def test_dialogs_have_unique_mnemonics_and_named_controls(qtbot, qapp, services, data_dir, language):
    from elternlotse.ui.dialogs.access_copy_dialog import AccessCopyDialog
    from elternlotse.ui.dialogs.first_start_dialog import FirstStartDialog
    from elternlotse.ui.dialogs.keep_dialog import KeepDialog
    from elternlotse.ui.dialogs.retention_dialog import RetentionDialog
    from elternlotse.ui.dialogs.recover_dialog import RecoverDialog
    from elternlotse.ui.dialogs.recovery_key_dialog import RecoveryKeyDialog
    from elternlotse.ui.dialogs.unlock_dialog import UnlockDialog
    from elternlotse.ui.widgets.event_form import EventFormDialog

    install_language(qapp, language)
    family = services.families.add(family_document())
    dialogs = {
        "first start": FirstStartDialog(data_dir / "new"),
        "unlock": UnlockDialog(data_dir),
        "recover": RecoverDialog(data_dir),
        "recovery key": RecoveryKeyDialog(services),
        "access copy": AccessCopyDialog(services.families.document(family.id), "KoKo Hagen"),
        "new event": EventFormDialog(services),
        "retention review": RetentionDialog(services),
        "keep family": KeepDialog(services, family.id, "Ayşe Yılmaz"),
    }
    problems = {}
    for name, dialog in dialogs.items():
        qtbot.addWidget(dialog)
        dialog.show()
        clash = duplicates(mnemonics_of(dialog))
        if clash:
            problems[f"{name}: duplicate mnemonics"] = clash
        unnamed = unnamed_controls(dialog)
        if unnamed:
            problems[f"{name}: no accessible name"] = unnamed
        dialog.close()
    assert problems == {}, pformat(problems, width=160)


@pytest.mark.parametrize("language", LANGUAGES, indirect=True)
def test_office_dialogs_have_unique_mnemonics_and_named_controls(qtbot, qapp, office_services, language):
    from elternlotse.domain.roster import HoursEntry, Navigator
    from elternlotse.ui.dialogs.hours_dialog import HoursDialog
    from elternlotse.ui.dialogs.roster_rules_dialog import RosterRulesDialog

    install_language(qapp, language)
    nav = office_services.roster.add(Navigator(name="Leyla"))
    entry, _tallies = office_services.roster.add_hours(
        HoursEntry(nav.id, office_services.roster.today().isoformat(), "2", "stand", "Stand"))
    dialogs = {"correct hours": HoursDialog(office_services, entry), "roster rules": RosterRulesDialog(office_services)}
    problems = {}
    for name, dialog in dialogs.items():
        qtbot.addWidget(dialog)
        dialog.show()
        clash = duplicates(mnemonics_of(dialog))
        if clash:
            problems[f"{name}: duplicate mnemonics"] = clash
        unnamed = unnamed_controls(dialog)
        if unnamed:
            problems[f"{name}: no accessible name"] = unnamed
        dialog.close()
    assert problems == {}, pformat(problems, width=160)


def test_the_walk_finds_a_clash_and_a_nameless_field(qtbot):
    """The checks above can fail: two "&S" buttons and a line edit with only a placeholder."""
    from PySide6.QtWidgets import QPushButton, QVBoxLayout

    top = QWidget()
    qtbot.addWidget(top)
    layout = QVBoxLayout(top)
    for text in ("&Save", "&Search"):
        layout.addWidget(QPushButton(text))
    edit = QLineEdit()
    edit.setPlaceholderText("name")
    layout.addWidget(edit)
    top.show()
    assert duplicates(mnemonics_of(top)) == {"s": ["&Save", "&Search"]}
    assert len(unnamed_controls(top)) == 1
    assert QApplication.instance() is not None and not isinstance(top, QMainWindow)


@pytest.mark.parametrize("language", LANGUAGES, indirect=True)
def test_the_reports_page_of_a_land_office_has_unique_mnemonics(qtbot, qapp, tmp_path, language):
    """An office's Reports page with the roll-up buttons, the source switch and an import's result list."""
    from elternlotse.app import create_store
    from tests.conftest import TEST_KDF
    from tests.sync_helpers import link

    install_language(qapp, language)
    land = create_store(tmp_path / "land", PASSPHRASE, "KAUSA", "Landesstelle", office=True, key_derivation=TEST_KDF)
    office = create_store(tmp_path / "a", PASSPHRASE, "KoKo", "Stadt Hagen", office=True, key_derivation=TEST_KDF)
    try:
        link(office, land)
        office.rollups.export(tmp_path / "a.elrollup")
        window = _window(land, tmp_path / "land")
        qtbot.addWidget(window)
        window.show()
        window.show_page(next(i for i, cls in enumerate(window.page_types) if cls.__name__ == "ReportsPage"))
        page = window.current_page()
        page.rollup._imported(land.rollups.import_each([tmp_path / "a.elrollup", tmp_path / "missing.elrollup"]))
        assert page.rollup.source.isVisibleTo(page) and page.rollup.results.isVisibleTo(page)
        assert duplicates(mnemonics_of(window, window.menuBar())) == {}
        assert unnamed_controls(page) == []
        window.shutdown()
    finally:
        land.store.close()
        office.store.close()
