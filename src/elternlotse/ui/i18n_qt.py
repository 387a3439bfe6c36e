"""The Qt side of the UI language: catalogue, Qt's own translations, layout direction, collation.

``install_language(qapp, configured)`` is called once at start (and again before
the main window is rebuilt after a language switch).  It

* resolves the language: the stored ``ui_language`` if it is one of ours, else the
  system's UI language if supported (``QLocale.system().uiLanguages()``), else German;
* activates our gettext catalogue (``elternlotse.i18n.install``);
* installs Qt's own ``qtbase_<lang>`` translations (standard buttons, dialogs,
  context menus) from ``QLibraryInfo.path(TranslationsPath)``;
* sets the application's layout direction from the language's script (CLDR via
  ``elternlotse.i18n.languages``): Arabic and Persian mirror the whole layout;
* makes the UI language Qt's default locale, so that standard widgets (date edits,
  calendars) and ``QCollator()`` follow it.

One digit system: Latin digits in every UI language, as Babel prints them.  Qt's
Arabic and Persian locales write Arabic-Indic digits, so ``qt_locale`` picks a
variant of the language that writes Latin digits (Arabic as written in Algeria,
Morocco, Tunisia: same texts, digits 0-9); Persian has none in CLDR, so spin boxes
and date fields get English-in-Germany formats (only a calendar popup's month names
show it).  That is ``ui_locale``, Qt's default; ``qt_locale`` (collation, a parent's
text) stays the language's own.  Date fields show
``date_display_format()``, the app's one date pattern (``formatting.date_pattern``).

Mixed-direction data: a widget's direction follows the UI, but a *value* keeps
its own direction.  Item text is aligned with ``Qt.AlignLeading`` (``align_leading``),
and names embedded in sentences are wrapped in Unicode isolates
(``elternlotse.i18n.formatting.isolate``) so that "Gesamtschule Haspe" stays in
order inside an Arabic sentence and "محمد" inside a German one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from PySide6 import QtCore
from PySide6.QtCore import QCollator, QLibraryInfo, QLocale, QObject, QTranslator
from PySide6.QtWidgets import QApplication

from elternlotse import i18n
from elternlotse.i18n import N_
from elternlotse.i18n.formatting import date_pattern
from elternlotse.i18n.languages import is_c_locale, language, resolve_ui_language, supported_ui_language

T = TypeVar("T")

QT_TRANSLATOR_NAME = "elternlotse-qtbase"
QT_GAPS_NAME = "elternlotse-qtbase-gaps"

#: Texts of Qt's file dialog that qtbase_<lang>.qm leaves untranslated in ar, fa, tr, ru, uk
#: (checked with QTranslator.translate for PySide6 6.11): ours, from our catalogue.
QT_GAPS = {
    ("QFileDialog", "&Look in:"): N_("&Look in:"),
    ("QFileDialog", "Files of &type:"): N_("Files of &type:"),
    ("QAbstractFileIconProvider", "Folder"): N_("Folder"),
}


class QtGapsTranslator(QTranslator):
    """Our translations of ``QT_GAPS``; installed before Qt's own, so Qt's win where they exist."""

    def translate(self, context, source, disambiguation=None, n=-1):
        msgid = QT_GAPS.get((context, source))
        # None is a null QString ("no translation here": Qt asks on); "" would be an empty translation.
        return i18n._(msgid) if msgid else None

    def isEmpty(self) -> bool:
        return False


def system_ui_languages() -> list[str]:
    """The system's preferred UI languages, best first (works on Windows and macOS too)."""
    system = QLocale.system()
    tags = [tag for tag in system.uiLanguages() if tag]
    if system.name():
        tags.append(system.name())
    # QLocale.C (no locale configured: CI, servers) is English by definition.
    return ["en" if is_c_locale(tag) else tag for tag in tags]


def resolve_language(configured: str | None) -> str:
    """Stored choice, else system language if we speak it, else German."""
    return resolve_ui_language(configured, system_ui_languages())


def layout_direction(tag: str) -> QtCore.Qt.LayoutDirection:
    """Right to left for languages written right to left (from CLDR, not a list)."""
    try:
        rtl = language(tag).rtl
    except LookupError:
        rtl = False
    # QtCore.Qt at call time: the first use of the Qt namespace builds its ~90 enums (50-80 ms),
    # which the unlock dialog of a left-to-right UI does not need (see install_language).
    direction = QtCore.Qt.LayoutDirection
    return direction.RightToLeft if rtl else direction.LeftToRight


def qt_locale(tag: str) -> QLocale:
    """The QLocale for a language of our table ("kmr" is "ku" to Qt as to Babel)."""
    try:
        return QLocale(language(tag).babel_tag)
    except LookupError:
        return QLocale(tag.replace("-", "_"))


def ui_locale(tag: str) -> QLocale:
    """Qt's default locale for the UI language ``tag``: its own, or a variant with Latin digits."""
    return latin_digits(qt_locale(tag))


def latin_digits(locale: QLocale) -> QLocale:
    """``locale``, or the nearest locale that writes its numbers with the digits 0-9."""
    if locale.zeroDigit() == "0":
        return locale
    variants = QLocale.matchingLocales(locale.language(), QLocale.Script.AnyScript, QLocale.Country.AnyCountry)
    for variant in sorted(variants, key=QLocale.name):
        if variant.zeroDigit() == "0":
            return variant
    return QLocale(QLocale.Language.English, QLocale.Country.Germany)


def date_display_format(tag: str | None = None) -> str:
    """The display format of every date field: the app's one numeric date pattern."""
    return date_pattern(tag)


def set_date_format(edit) -> None:
    """A QDateEdit shows its date as the rest of the screen does."""
    edit.setDisplayFormat(qt_display_format(date_display_format(), edit.isRightToLeft()))


def qt_display_format(pattern: str, rtl: bool) -> str:
    """``pattern`` for ``QDateTimeEdit.setDisplayFormat`` so that its text is ``pattern``'s.

    In a right-to-left widget Qt reverses the order of the sections ("d/M/yyyy" becomes
    "yyyy/M/d"), so an Arabic date field would read the other way round from the same
    date in a label beside it.  Reversing first makes Qt's reversal give ``pattern`` back.
    """
    if not rtl:
        return pattern
    parts = _FORMAT_TOKEN.findall(pattern)
    separators, sections, pending = [], [], ""
    for part in parts:
        if part[0] in _SECTION_LETTERS:
            separators.append(pending)
            sections.append(part)
            pending = ""
        else:
            pending += part
    separators.append(pending)
    out = [separators[-1]]
    for index in range(len(sections) - 1, -1, -1):
        out += [sections[index], separators[index]]
    return "".join(out)


_SECTION_LETTERS = "dMyhHmsaA"
_FORMAT_TOKEN = re.compile(r"AP|ap|'[^']*'|d+|M+|y+|h+|H+|m+|s+|[aA]|[^dMyhHmsaA']+")


def install_qt_translations(qapp: QApplication, tag: str) -> bool:
    """Replace Qt's own translations (qtbase_<tag>); True when a file was found."""
    for name in (QT_TRANSLATOR_NAME, QT_GAPS_NAME):
        for old in qapp.findChildren(QTranslator, name):
            qapp.removeTranslator(old)
            old.setParent(None)
            old.deleteLater()
    gaps = QtGapsTranslator(qapp)
    gaps.setObjectName(QT_GAPS_NAME)
    qapp.installTranslator(gaps)  # first: the translator installed last is asked first
    translator = QTranslator(qapp)
    translator.setObjectName(QT_TRANSLATOR_NAME)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(qt_locale(tag), "qtbase", "_", folder) or translator.load(f"qtbase_{tag}", folder):
        qapp.installTranslator(translator)
        return True
    translator.setParent(None)
    translator.deleteLater()
    return False


def install_language(qapp: QApplication, configured: str | None) -> str:
    """Activate the UI language everywhere; return the language in use."""
    tag = resolve_language(configured)
    used = i18n.install(tag)
    if supported_ui_language(used) != tag:
        # No compiled catalogue (a source checkout before `compile`): say it in English
        # rather than pretend; direction and Qt's texts still follow the chosen language.
        used = "en"
    install_qt_translations(qapp, used)
    QLocale.setDefault(ui_locale(used))
    if qapp.isRightToLeft() or _is_rtl(used):  # a left-to-right start keeps Qt's default direction
        qapp.setLayoutDirection(layout_direction(used))
    return used


def _is_rtl(tag: str) -> bool:
    try:
        return language(tag).rtl
    except LookupError:
        return False


def collator(tag: str | None = None) -> QCollator:
    """Locale-aware, case-insensitive, numbers in numeric order ("Klasse 9" < "Klasse 10")."""
    result = QCollator(qt_locale(tag or i18n.active_language()))
    result.setCaseSensitivity(QtCore.Qt.CaseSensitivity.CaseInsensitive)
    result.setNumericMode(True)
    result.setIgnorePunctuation(False)
    return result


def sorted_names(items: Iterable[T], key: Callable[[T], str] = str, tag: str | None = None) -> list[T]:
    """``items`` sorted by ``key`` with QCollator for the UI language."""
    coll = collator(tag)
    return sorted(items, key=lambda item: coll.sortKey(key(item)))


def language_choices(tags: Sequence[str], tag: str | None = None) -> list[tuple[str, str]]:
    """(own name, tag) pairs for a language picker, sorted by the own name."""
    return sorted_names([(language(t).own_name, t) for t in tags], key=lambda pair: pair[0], tag=tag)


def align_leading(item) -> None:
    """Align an item view cell to the start of the reading direction (mirrors in RTL)."""
    item.setTextAlignment(QtCore.Qt.AlignmentFlag.AlignLeading | QtCore.Qt.AlignmentFlag.AlignVCenter)


def apply_direction(widget: QObject, tag: str) -> None:
    """A widget showing text in a parent's language (not the UI's), e.g. a consent text."""
    widget.setLayoutDirection(layout_direction(tag))
    if hasattr(widget, "setLocale"):
        widget.setLocale(qt_locale(tag))
