"""gettext for Elternlotse.

``_`` looks up the *active* catalogue at call time, so a language switch takes
effect for every string built afterwards (Picard's approach).  ``N_`` marks
module-level strings that are translated later, where they are shown.

The catalogue domain is ``elternlotse``; compiled ``.mo`` files live next to
the ``.po`` files under ``translations/<lang>/LC_MESSAGES/`` (build output,
compiled by ``elternlotse.i18n.compile`` before tests and by build.spec).
"""

from __future__ import annotations

import gettext as _gettext
from pathlib import Path

from elternlotse.domain.errors import ElternlotseError
from elternlotse.domain.text import N_

__all__ = ["_", "N_", "ngettext", "pgettext", "install", "translator", "active_language", "translate_error", "translations_dir"]

DOMAIN = "elternlotse"


def translations_dir() -> Path:
    """The folder that holds the catalogues (source tree or frozen bundle)."""
    from elternlotse.resources import project_path

    return project_path("translations")


class _Active:
    # The one mutable piece of i18n state: which catalogue ``_`` reads.  It is
    # module state by nature of gettext (``_`` is called from everywhere);
    # it is set only by ``install`` at the composition root or a language switch.
    translations: _gettext.NullTranslations = _gettext.NullTranslations()
    language: str = "en"


def install(language: str, directory: Path | None = None) -> str:
    """Activate the catalogue for ``language``; return the language in use.

    Falls back to the English msgids when no compiled catalogue exists.
    """
    directory = directory or translations_dir()
    try:
        trans = _gettext.translation(DOMAIN, localedir=str(directory), languages=[language])
        _Active.translations = trans
        _Active.language = language
    except OSError:
        _Active.translations = _gettext.NullTranslations()
        _Active.language = "en" if language != "en" else language
    return _Active.language


def translation_for(language: str, directory: Path | None = None) -> _gettext.NullTranslations:
    """The catalogue of ``language`` without activating it (a copy printed in a parent's
    language while the UI stays in the navigator's); English msgids when there is none."""
    try:
        return _gettext.translation(DOMAIN, localedir=str(directory or translations_dir()), languages=[language])
    except OSError:
        return _gettext.NullTranslations()


def translator(language: str, directory: Path | None = None):
    """``gettext`` of ``language``'s catalogue, whatever the UI language (a report for a German funder)."""
    return translation_for(language, directory).gettext


def active_language() -> str:
    return _Active.language


def _(message: str) -> str:
    return _Active.translations.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _Active.translations.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """``message`` where the same English word means two things ("Record": a button
    that records, a column that names a record); ``context`` tells them apart."""
    return _Active.translations.pgettext(context, message)


def translate_error(error: ElternlotseError, isolate: bool = False) -> str:
    """The one place where core errors become translated sentences.

    ``isolate=True`` (the GUI) wraps string parameters in Unicode isolates (FSI/PDI) so
    that a German school name stays in order inside an Arabic sentence and vice versa;
    the CLI keeps plain text for scripts.
    """
    text = _(error.message_id)
    params = error.params
    if isolate:
        params = {key: f"\u2068{value}\u2069" if isinstance(value, str) and value else value
                  for key, value in params.items()}
    try:
        return text.format(**params)
    except (KeyError, IndexError, ValueError):
        return error.english()
