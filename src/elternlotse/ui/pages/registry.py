"""The pages of the main window, in navigation order.

A page class has ``__init__(self, services, parent=None)``, a ``page_title()``
static method returning the translated title, and ``refresh()`` (called when the
page is shown or after data changed).  A feature adds its page with one line.
"""

from __future__ import annotations


def page_classes() -> list[type]:
    pages: list[type] = []
    from elternlotse.ui.pages.families_page import FamiliesPage  # the navigator's daily list

    pages.append(FamiliesPage)
    from elternlotse.ui.pages.quick_capture_page import QuickCapturePage  # first or second: the stand

    pages.append(QuickCapturePage)
    from elternlotse.ui.pages.next_steps_page import NextStepsPage

    pages.append(NextStepsPage)
    from elternlotse.ui.pages.events_page import EventsPage

    pages.append(EventsPage)
    from elternlotse.ui.pages.handouts_page import HandoutsPage

    pages.append(HandoutsPage)
    from elternlotse.ui.pages.sync_page import SyncPage

    pages.append(SyncPage)
    from elternlotse.ui.pages.reports_page import ReportsPage  # the office's figures (a navigator's own)

    pages.append(ReportsPage)
    from elternlotse.ui.pages.settings_page import SettingsPage  # last in the navigation

    pages.append(SettingsPage)
    return pages
