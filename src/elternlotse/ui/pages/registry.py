"""The pages of the main window, in navigation order.

A page class has ``__init__(self, services, parent=None)``, a ``page_title()``
static method returning the translated title, and ``refresh()`` (called when the
page is shown or after data changed).  A feature adds its page with one line in
``pages()``; ``office_only`` keeps it out of a navigator's window (``pages_for``).

The main window needs only the titles at start; a page's module (and what it
imports: the PDF view and ReportLab for handouts, the sync machinery, ...) is
imported when the page is first shown.  So each entry names the module and class
and carries the title's msgid, which must be the one ``page_title()`` returns
(``tests/test_ui_shell.py`` checks both agree).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import import_module

from elternlotse.i18n import N_, _


@dataclass(frozen=True)
class PageEntry:
    module: str
    name: str
    title_msgid: str = ""
    page_type: type | None = field(default=None, compare=False)  # given directly (tests, drafts)
    office_only: bool = False  # kept out of a navigator's window: the office's own records (the roster)

    @classmethod
    def of(cls, page_type: type) -> PageEntry:
        return cls(page_type.__module__, page_type.__qualname__, page_type=page_type)

    def title(self) -> str:
        return self.page_type.page_title() if self.page_type is not None else _(self.title_msgid)

    def load(self) -> type:
        """The page class (imports its module on first use)."""
        if self.page_type is not None:
            return self.page_type
        return getattr(import_module(self.module), self.name)

    def is_for(self, page_type: type) -> bool:
        return self.page_type is page_type or (page_type.__module__, page_type.__qualname__) == (self.module, self.name)


_PAGES = "elternlotse.ui.pages."


def pages() -> list[PageEntry]:
    return [
        PageEntry(_PAGES + "families_page", "FamiliesPage", N_("Families")),  # the navigator's daily list
        PageEntry(_PAGES + "quick_capture_page", "QuickCapturePage", N_("Quick capture")),  # the stand
        PageEntry(_PAGES + "next_steps_page", "NextStepsPage", N_("Next steps")),
        PageEntry(_PAGES + "events_page", "EventsPage", N_("Events")),
        PageEntry(_PAGES + "handouts_page", "HandoutsPage", N_("Handouts")),
        PageEntry(_PAGES + "sync_page", "SyncPage", N_("Sync")),
        PageEntry(_PAGES + "duplicates_page", "DuplicatesPage", N_("Duplicates")),  # office: merges; navigator: own
        PageEntry(_PAGES + "reports_page", "ReportsPage", N_("Reports")),  # the office's figures (a navigator's own)
        PageEntry(_PAGES + "navigators_page", "NavigatorsPage", N_("Navigators"), office_only=True),  # the roster
        PageEntry(_PAGES + "partners_page", "PartnersPage", N_("Partners")),  # the office's directory, read by navigators
        PageEntry(_PAGES + "import_page", "ImportPage", N_("Import")),  # the office's lists in and out (XLSX, CSV)
        PageEntry(_PAGES + "settings_page", "SettingsPage", N_("Settings")),  # last in the navigation
    ]


def pages_for(is_office: bool) -> list[PageEntry]:
    """The pages of one installation's window: a navigator's laptop has no office-only page."""
    return [entry for entry in pages() if is_office or not entry.office_only]


def page_classes() -> list[type]:
    """Every page class, imported (tests, tools; the main window imports a page when shown)."""
    return [entry.load() for entry in pages()]
