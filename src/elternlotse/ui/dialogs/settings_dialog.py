"""Settings readable before unlock: UI language and idle lock time (stored in settings.json)."""

from __future__ import annotations

from babel import Locale, UnknownLocaleError
from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QSpinBox

from elternlotse import settings as settings_file
from elternlotse.i18n import DOMAIN, _, translations_dir


def available_languages() -> list[str]:
    """English plus every language with a compiled catalogue."""
    found = sorted(p.parent.parent.name for p in translations_dir().glob(f"*/LC_MESSAGES/{DOMAIN}.mo"))
    return ["en", *[tag for tag in found if tag != "en"]]


def own_name(tag: str) -> str:
    """A language's name in that language (Türkçe, العربية, українська)."""
    try:
        return Locale.parse(tag.replace("-", "_")).get_display_name(tag.replace("-", "_")) or tag
    except (UnknownLocaleError, ValueError):
        return tag


class SettingsDialog(QDialog):
    def __init__(self, current: settings_file.Settings, parent=None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Settings"))
        self.language_combo = QComboBox()
        self.language_combo.addItem(_("Language of this computer"), "")
        for tag in available_languages():
            self.language_combo.addItem(own_name(tag), tag)
        index = self.language_combo.findData(current.ui_language)
        self.language_combo.setCurrentIndex(max(index, 0))
        self.idle_spin = QSpinBox()
        self.idle_spin.setRange(0, settings_file.MAX_IDLE_MINUTES)
        self.idle_spin.setSpecialValueText(_("never"))
        self.idle_spin.setSuffix(" " + _("min"))
        self.idle_spin.setValue(current.idle_lock_minutes)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(_("Language of the app:"), self.language_combo)
        form.addRow(_("Lock after no use for:"), self.idle_spin)
        form.addRow(buttons)

    def settings(self) -> settings_file.Settings:
        return settings_file.Settings(ui_language=self.language_combo.currentData() or "",
                                      idle_lock_minutes=self.idle_spin.value())
