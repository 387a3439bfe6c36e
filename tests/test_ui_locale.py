"""One digit system, one date format and the script's list separators on every screen (issue #13, item 12).

The walk shows every page (and every tab of a family) of a window on demo data and
collects what a person sees: labels, buttons, fields, spin boxes, date fields, the
cells of the visible table rows.  In Arabic and Persian no Arabic-Indic digit may
appear next to the Latin ones Babel prints; in every language every date on screen
has the one pattern of ``formatting.date_pattern`` (no ISO "2026-10-06" beside it).
"""

from __future__ import annotations

import datetime as dt
import re
from pprint import pformat

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTabWidget,
    QWidget,
)

from elternlotse.i18n import install
from elternlotse.i18n.formatting import date_pattern, format_date, join_list
from elternlotse.services.demo import fill_demo, fill_demo_contacts, fill_demo_events
from elternlotse.ui.i18n_qt import install_language
from tests.test_ui_keyboard_walk import LANGUAGES, _views, _window

ARABIC_INDIC = re.compile("[\u0660-\u0669\u06f0-\u06f9]")
ISO_DATE = re.compile(r"(?<![\d.])\d{4}-\d{2}-\d{2}(?![\d])")


def visible_texts(top: QWidget) -> list[str]:
    """The texts a person sees in ``top`` now (first 40 rows of each visible table)."""
    texts: list[str] = []
    for widget in top.findChildren(QWidget):
        if not widget.isVisibleTo(top):
            continue
        if isinstance(widget, (QLabel, QAbstractButton)):
            texts.append(widget.text())
        elif isinstance(widget, QLineEdit):
            texts += [widget.text(), widget.placeholderText()]
        elif isinstance(widget, QAbstractSpinBox):
            texts.append(widget.text())
        elif isinstance(widget, QComboBox):
            texts.append(widget.currentText())
        elif isinstance(widget, QGroupBox):
            texts.append(widget.title())
        elif isinstance(widget, QTabWidget):
            texts += [widget.tabText(i) for i in range(widget.count())]
        elif isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model = widget.model()
            try:
                columns = model.columnCount()
            except TypeError:  # a list model's columnCount is private to Python
                columns = 1
            for row in range(min(model.rowCount(), 40)):
                for column in range(columns):
                    value = model.index(row, column).data(Qt.ItemDataRole.DisplayRole)
                    if isinstance(value, str):
                        texts.append(value)
    return [text for text in texts if text]


def pattern_regex(language: str) -> re.Pattern:
    """A regex for a date written with ``date_pattern(language)`` (marks and literals kept)."""
    out = ""
    for token in re.findall(r"yyyy|dd|d|MM|M|'[^']*'|.", date_pattern(language), re.S):
        out += {"yyyy": r"\d{4}", "dd": r"\d{2}", "MM": r"\d{2}", "d": r"\d{1,2}", "M": r"\d{1,2}"}.get(
            token, re.escape(token.strip("'")) if token.startswith("'") else re.escape(token))
    return re.compile(out)


@pytest.fixture
def language(request, qapp):
    yield request.param
    install_language(qapp, "en")
    install("en")


@pytest.fixture
def demo_services(services):
    fill_demo(services, families=12, seed=5)
    fill_demo_events(services, seed=5)
    fill_demo_contacts(services, seed=5)
    return services


def _walk(qtbot, services, data_dir) -> dict[str, list[str]]:
    window = _window(services, data_dir)
    qtbot.addWidget(window)
    window.show()
    seen = {name: visible_texts(view) + visible_texts(window.statusBar()) for name, view in _views(window)}
    window.shutdown()
    return seen


@pytest.mark.slow
@pytest.mark.parametrize("language", ("ar", "fa"), indirect=True)
def test_no_arabic_indic_digit_beside_latin_ones(qtbot, qapp, demo_services, data_dir, language):
    install_language(qapp, language)
    seen = _walk(qtbot, demo_services, data_dir)
    mixed = {page: [t for t in texts if ARABIC_INDIC.search(t)] for page, texts in seen.items()}
    assert {page: found for page, found in mixed.items() if found} == {}, pformat(mixed, width=160)
    # The walk did see numbers (a table of dates, a grade, a count), so the check above means something.
    assert any(re.search(r"\d", t) for texts in seen.values() for t in texts)


@pytest.mark.slow
@pytest.mark.parametrize("language", ("de", "ar", "tr", "uk"), indirect=True)
def test_every_date_on_screen_has_the_languages_one_format(qtbot, qapp, demo_services, data_dir, language):
    install_language(qapp, language)
    seen = _walk(qtbot, demo_services, data_dir)
    iso = {page: [t for t in texts if ISO_DATE.search(t)] for page, texts in seen.items()}
    assert {page: found for page, found in iso.items() if found} == {}, pformat(iso, width=160)
    dated = [t for texts in seen.values() for t in texts if pattern_regex(language).search(t)]
    assert dated, "no date of the language's pattern on any page"


@pytest.mark.parametrize("language", LANGUAGES, indirect=True)
def test_date_fields_and_spin_boxes_write_like_the_tables(qtbot, qapp, language):
    from PySide6.QtWidgets import QDateEdit

    from elternlotse.ui.i18n_qt import set_date_format

    install_language(qapp, language)
    edit = QDateEdit(QDate(2026, 10, 6))
    set_date_format(edit)
    spin = QSpinBox()
    spin.setRange(0, 99999)
    spin.setValue(1234)
    for widget in (edit, spin):
        qtbot.addWidget(widget)
    assert edit.text() == format_date(dt.date(2026, 10, 6))
    assert not ARABIC_INDIC.search(edit.text() + spin.text())
    assert "1234" in spin.text().replace(",", "").replace(".", "").replace("\u00a0", "")


def test_the_checks_can_fail():
    """Arabic-Indic digits and an ISO date are found; a date in another pattern does not match."""
    assert ARABIC_INDIC.search("٦‏/١٠‏/٢٠٢٦") and ARABIC_INDIC.search("۲۰۲۶/۱۰/۶")
    assert ISO_DATE.search("due 2026-10-06") and not ISO_DATE.search("06.10.2026")
    assert pattern_regex("de").search("06.10.2026") and not pattern_regex("de").search("6 Eki 2026")
    assert pattern_regex("ar").search(format_date(dt.date(2026, 10, 6), language="ar"))


@pytest.mark.parametrize("tag, separator", (("ar", "\u060c "), ("fa", "\u060c "), ("de", ", "), ("uk", ", ")))
def test_lists_are_joined_with_the_scripts_separator(tag, separator):
    assert join_list(["a", "b", "c"], tag) == f"a{separator}b{separator}c"
    assert join_list(["a", "b"], tag, strong=True) == ("a\u061b b" if tag in ("ar", "fa") else "a; b")


def test_arabic_family_table_joins_channels_with_the_arabic_comma(qtbot, qapp, services):
    from elternlotse.ui.models.family_table_model import FamilyTableModel

    install_language(qapp, "ar")
    try:
        fill_demo(services, families=8, seed=3)
        model = FamilyTableModel(services.family_list)
        texts = [model.index(r, c).data(Qt.ItemDataRole.DisplayRole) or "" for r in range(model.rowCount())
                 for c in range(model.columnCount())]
        texts = [t for t in texts if isinstance(t, str)]
        joined = [t for t in texts if "\u060c " in t]
        assert joined and not any(re.search("[\u0600-\u06ff], ", t) for t in texts)
    finally:
        install_language(qapp, "en")
        install("en")


def test_duplicate_warning_ranks_an_exact_phone_above_a_similar_name_and_shows_the_difference(qtbot, qapp, services):
    from PySide6.QtGui import QFont

    from elternlotse.ui.widgets.duplicate_warning import DuplicateWarning
    from tests.conftest import family_document

    install_language(qapp, "ar")
    try:
        similar = services.families.add(family_document(name="فاطمة ناصر", phone="0176 1111 2222"))
        same_phone = services.families.add(family_document(name="Olena Shevchenko", phone="0176 2345 6789"))
        warning = DuplicateWarning(services)
        qtbot.addWidget(warning)
        # The name query finds the first family, the phone the second: the phone must come first.
        warning.set_query(phones=["+49 176 23456789"], names=["فاطمة ناصر"])
        warning.search_now()
        model = warning.model
        assert [model.family_id(r) for r in range(model.rowCount())] == [same_phone.id, similar.id]
        labels = [model.index(r, 0).data() for r in range(2)]
        assert labels[0] != labels[1]
        fonts = [model.index(r, 1).data(Qt.ItemDataRole.FontRole) for r in range(2)]
        assert isinstance(fonts[0], QFont) and fonts[0].bold() and fonts[1] is None
        assert model.index(0, 0).data(Qt.ItemDataRole.DecorationRole) is not None
        assert model.index(1, 0).data(Qt.ItemDataRole.DecorationRole) is None
        # Names are bidi islands, the phone reads left to right, languages by name.
        assert "\u2068فاطمة ناصر\u2069" in model.index(1, 1).data()
        assert model.index(0, 3).data().startswith("\u2066")
        assert "de" not in model.index(0, 4).data().split("\u060c ")
    finally:
        install_language(qapp, "en")
        install("en")


@pytest.fixture
def families_page(qtbot, qapp, services, data_dir):
    from PySide6.QtCore import QEvent
    from PySide6.QtWidgets import QApplication

    from elternlotse.app import open_store
    from elternlotse.ui.pages.families_page import FamiliesPage
    from elternlotse.ui.tasks import TaskRunner
    from tests.conftest import PASSPHRASE

    install_language(qapp, "uk")
    widget = FamiliesPage(services)
    widget.tasks = TaskRunner(lambda: open_store(data_dir, PASSPHRASE), widget)
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    yield widget
    widget.tasks.shutdown()
    widget.close()
    widget.deleteLater()
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    install_language(qapp, "en")
    install("en")


def test_family_detail_guardian_languages_are_picked_by_name_and_saved_as_tags(qtbot, services, families_page):
    from PySide6.QtWidgets import QApplication

    from tests.conftest import family_document

    doc = family_document(name="Olena Shevchenko")
    doc["guardians"][0]["languages"] = ["tr", "de", "ku"]  # a third language has no field: it is kept
    family = services.families.add(doc)
    page = families_page
    loads = {"started": 0, "finished": 0}  # the list reloads after a save: let it land before teardown
    page.model.loading_started.connect(lambda: loads.__setitem__("started", loads["started"] + 1))
    page.model.loading_finished.connect(lambda: loads.__setitem__("finished", loads["finished"] + 1))
    page.activateWindow()
    qtbot.waitUntil(page.isActiveWindow)
    page.open_family(family.id)
    guardian = page.detail.guardian_editors[0]
    assert guardian.languages.current_tag() == "tr" and "Туре" in guardian.languages.currentText()
    guardian.languages.setFocus()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)   # the second language, next Tab stop
    assert QApplication.focusWidget() is guardian.other_language
    guardian.other_language.lineEdit().selectAll()
    qtbot.keyClicks(QApplication.focusWidget(), "arab")         # part of a name (the English one here)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Down)  # the suggestion...
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)  # ...taken on purpose
    qtbot.waitUntil(lambda: guardian.other_language.current_tag() == "ar")
    assert "Араб" in guardian.other_language.currentText()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: services.families.document(family.id)["guardians"][0]["languages"] == ["tr", "ar", "ku"])
    assert not any(w.placeholderText().startswith("language tags") for w in page.detail.findChildren(QLineEdit))
    qtbot.waitUntil(lambda: loads["started"] == loads["finished"])


@pytest.mark.parametrize("language", ("ar", "fa"), indirect=True)
def test_phone_placeholder_keeps_its_digit_groups_in_order_in_rtl(qtbot, qapp, services, language):
    from elternlotse.ui.pages.quick_capture_page import QuickCapturePage

    install_language(qapp, language)
    page = QuickCapturePage(services)
    qtbot.addWidget(page)
    text = page.phone.placeholderText()
    # Digits and spaces are weak in the bidi algorithm: without an LTR isolate an RTL sentence
    # shows "5678 1234 0176".  The whole number is one left-to-right island.
    assert "\u20660176 1234 5678\u2069" in text and re.search("[\u0600-\u06ff]", text)


def test_call_list_contacts_keep_numbers_left_to_right(qapp):
    from types import SimpleNamespace

    from elternlotse.ui.models.kaoa_models import contact_text

    install_language(qapp, "ar")
    try:
        phone = contact_text(SimpleNamespace(channel="phone", value="+4917069976065", app=""))
        messenger = contact_text(SimpleNamespace(channel="messenger", value="+4915173377544", app="WhatsApp"))
        assert "\u20660170 69976065\u2069" in phone            # national form, one LTR island
        assert "\u206601517 3377544\u2069" in messenger and "\u2068WhatsApp\u2069" in messenger
    finally:
        install_language(qapp, "en")
        install("en")


@pytest.mark.parametrize("language", ("de", "tr", "ar", "fa", "ru", "uk"), indirect=True)
def test_the_qt_file_dialog_has_no_english_label_left(qapp, language):
    """qtbase_<lang>.qm lacks "Look in:", "Files of type:" and "Folder" in most of our languages."""
    from PySide6.QtCore import QCoreApplication

    install_language(qapp, language)
    for context, source in (("QFileDialog", "&Look in:"), ("QFileDialog", "Files of &type:"),
                            ("QAbstractFileIconProvider", "Folder"), ("QFileDialog", "File &name:")):
        shown = QCoreApplication.translate(context, source)
        assert shown and shown != source, (context, source)
