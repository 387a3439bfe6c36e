"""The family list as a lazy table model: the order of all ids in memory, rows fetched page by page.

``services.family_list.order(...)`` gives every matching id with its sort text
(SQL-side order); names are then ordered locale-aware with ``QCollator``.  Only
the rows the view scrolls to are loaded (``canFetchMore``/``fetchMore``), so a
store with 100,000 persons opens as fast as one with ten.
"""

from __future__ import annotations

import re
from functools import lru_cache
from datetime import datetime, timezone

from PySide6.QtCore import QAbstractTableModel, QCollator, QModelIndex, QPersistentModelIndex, QPointF, Qt, Signal
from PySide6.QtGui import QColor, QIcon, QPainter, QPixmap

from elternlotse.domain.consent import CHANNEL_LABELS
from elternlotse.domain.contact import display_phone
from elternlotse.i18n import N_, _, active_language
from elternlotse.i18n.formatting import format_date, isolate, join_list, language_name, ltr, ui_paragraph
from elternlotse.services.family_list import FamilyListRow

GUARDIANS, CHILDREN, LANGUAGES, PHONE, CONSENT, UPDATED = range(6)
COLUMN_TITLES = {
    GUARDIANS: N_("Guardians"),
    CHILDREN: N_("Children (grade)"),
    LANGUAGES: N_("Languages"),
    PHONE: N_("Phone"),
    CONSENT: N_("Consent"),
    UPDATED: N_("Changed"),
}
#: Column -> key of ``services.family_list.order``; None = not sortable.
SORT_COLUMNS = {GUARDIANS: "guardians", CHILDREN: "children", LANGUAGES: "languages", PHONE: "phone",
                CONSENT: None, UPDATED: "updated"}
#: Columns whose order is by name, locale-aware (the others keep the SQL order).
COLLATED = {GUARDIANS, CHILDREN}

SortRole = Qt.ItemDataRole.UserRole + 1   # a value that orders rows in memory
RowRole = Qt.ItemDataRole.UserRole + 2    # the FamilyListRow
IdRole = Qt.ItemDataRole.UserRole + 3     # the family id

PAGE = 200

_CONSENT_COLOURS = {"contact": "#2e7d32", "no_contact": "#c77800", "no_store": "#b00020"}


def consent_state(row: FamilyListRow) -> str:
    if not row.stores:
        return "no_store"
    return "contact" if row.contact_channels else "no_contact"


def consent_text(row: FamilyListRow) -> str:
    """One line a navigator reads at a glance, e.g. "contact: Phone call, SMS"."""
    state = consent_state(row)
    if state == "no_store":
        return _("no consent to store the data")
    if state == "no_contact":
        return _("no contact consent")
    return _("contact: {channels}").format(channels=join_list(_(CHANNEL_LABELS[c]) for c in row.contact_channels))


_icons: dict[str, QIcon] = {}


def consent_icon(state: str) -> QIcon:
    """A coloured mark per consent state (shape differs too, not only colour)."""
    if state not in _icons:
        pixmap = QPixmap(16, 16)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(_CONSENT_COLOURS[state]))
        if state == "contact":
            painter.drawEllipse(2, 2, 12, 12)
        elif state == "no_contact":
            painter.drawPolygon([QPointF(8, 1), QPointF(15, 14), QPointF(1, 14)])
        else:
            painter.drawRect(2, 2, 12, 12)
        painter.end()
        _icons[state] = QIcon(pixmap)
    return _icons[state]


def stamp_date(stamp: str) -> datetime | None:
    try:
        return datetime.fromtimestamp(int(stamp.split("-", 1)[0]) / 1000, tz=timezone.utc)
    except (ValueError, IndexError, OSError):
        return None


_CHILD = re.compile(r"^(.*) \((\d+)\)$")


def isolated_names(text: str, separator: str) -> str:
    """Each name as a bidi island, so "Jana (9), يوسف (9)" keeps its order in either direction.

    A ", " list is joined again with the UI script's separator ("، " in Arabic script).
    """
    parts = []
    for part in text.split(separator) if text else []:
        match = _CHILD.match(part)
        parts.append(f"{isolate(match.group(1))} ({match.group(2)})" if match else isolate(part))
    return join_list(parts) if separator == ", " else separator.join(parts)


def language_names(tags: str) -> str:
    """"ar, de" (the list row's tags) as names in the UI language: "Arabisch, Deutsch"."""
    return _language_names(tags, active_language()) if tags else ""


@lru_cache(maxsize=512)
def _language_names(tags: str, ui: str) -> str:
    names = []
    for tag in tags.split(", "):
        try:
            names.append(language_name(tag, ui))
        except LookupError:
            names.append(tag)
    return join_list(names, ui)


def make_collator() -> QCollator:
    """For the UI language (not the C locale: "Özlem" goes with O, not after Z)."""
    from elternlotse.ui.i18n_qt import collator

    return collator()


def ordered_pairs(family_list, search: str, key: str, descending: bool, collated: bool,
                  collator: QCollator) -> list[tuple[str, str]]:
    """(id, sort text) in display order; names ordered with ``collator`` (any thread, own collator)."""
    pairs = family_list.order(search, key, descending)
    if collated:
        sort_key = collator.sortKey
        pairs.sort(key=lambda pair: sort_key(pair[1]), reverse=descending)
    return pairs


class FamilyTableModel(QAbstractTableModel):
    loading_started = Signal()    # an order is being computed in the background
    loading_finished = Signal()   # a new order is shown (also after a reload on the GUI thread)
    def __init__(self, family_list, parent=None, load: bool = True) -> None:
        super().__init__(parent)
        self.family_list = family_list       # services.family_list
        self.search = ""
        self.sort_column = -1                # -1 = the store's order (newest last)
        self.sort_order = Qt.SortOrder.AscendingOrder
        self._order: list[str] = []          # every matching id, in display order
        self._keys: dict[str, str] = {}      # id -> sort text of the sort column
        self._rows: list[FamilyListRow] = []  # the loaded rows: _order[:len(_rows)]
        self._collator = make_collator()
        self._phones: dict[str, str] = {}
        self._generation = 0
        self.runner = None                   # callable -> TaskRunner, for sorts off the GUI thread
        if load:
            self.reload()

    # ---------------------------------------------------------------- loading
    def reload(self, keep_loaded: bool = False, background: bool = False) -> None:
        """Ask the store for the order again (after a search, a sort or a change).

        With ``background`` and a runner (``self.runner``: a callable returning the
        window's ``TaskRunner``), the full list's order is computed off the GUI
        thread (a sort over 40,000 families takes most of a second) and applied
        when it arrives; ``loading_started``/``loading_finished`` are emitted around it.  A newer request wins.
        """
        wanted = max(len(self._rows), PAGE) if keep_loaded else PAGE
        self._generation += 1
        generation = self._generation
        search, key = self.search, SORT_COLUMNS.get(self.sort_column) or "created"
        descending = self.sort_order == Qt.SortOrder.DescendingOrder
        collated = self.sort_column in COLLATED
        if background and self.runner is not None and not search.strip():
            def job(services, _progress):
                return ordered_pairs(services.family_list, search, key, descending, collated, make_collator())

            self.loading_started.emit()
            task = self.runner().submit(job)
            task.finished.connect(lambda pairs: self._apply(generation, pairs, wanted))
            task.failed.connect(lambda _error: self.loading_finished.emit())
            return
        pairs = ordered_pairs(self.family_list, search, key, descending, collated, self._collator)
        self._apply(generation, pairs, wanted)

    def _apply(self, generation: int, pairs: list[tuple[str, str]], wanted: int) -> None:
        if generation != self._generation:
            return  # a newer search or sort was asked for meanwhile
        self.beginResetModel()
        self._order = [fid for fid, _text in pairs]
        self._keys = dict(pairs)
        self._rows = self.family_list.rows(self._order[:wanted])
        self.endResetModel()
        self.loading_finished.emit()

    def total(self) -> int:
        """How many families match (loaded or not)."""
        return len(self._order)

    def canFetchMore(self, parent=QModelIndex()) -> bool:
        return not parent.isValid() and len(self._rows) < len(self._order)

    def fetchMore(self, parent=QModelIndex()) -> None:
        if parent.isValid():
            return
        start = len(self._rows)
        ids = self._order[start:start + PAGE]
        rows = self.family_list.rows(ids)
        if len(rows) < len(ids):  # erased meanwhile: drop them from the order
            present = {r.id for r in rows}
            self._order = self._order[:start] + [i for i in self._order[start:] if i in present or i not in ids]
        if not rows:
            return
        self.beginInsertRows(QModelIndex(), start, start + len(rows) - 1)
        self._rows.extend(rows)
        self.endInsertRows()

    def loaded_row(self, family_id: str) -> int:
        """The row of a family among the loaded rows; -1 when not loaded (nothing is fetched)."""
        for row, item in enumerate(self._rows):
            if item.id == family_id:
                return row
        return -1

    def row_of(self, family_id: str, fetch_limit: int = 5 * PAGE) -> int:
        """The row of a family, fetching at most ``fetch_limit`` more rows to reach it; -1 otherwise."""
        row = self.loaded_row(family_id)
        if row >= 0:
            return row
        try:
            position = self._order.index(family_id)
        except ValueError:
            return -1
        if position >= len(self._rows) + fetch_limit:
            return -1
        while len(self._rows) <= position and self.canFetchMore():
            self.fetchMore()
        return self.loaded_row(family_id)

    def refresh_family(self, family_id: str) -> None:
        """Re-read one loaded row (after an edit in the detail view)."""
        for row, item in enumerate(self._rows):
            if item.id == family_id:
                fresh = self.family_list.rows([family_id])
                if fresh:
                    self._rows[row] = fresh[0]
                    self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMN_TITLES) - 1))
                return

    # ---------------------------------------------------------------- Qt model
    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(COLUMN_TITLES)

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and section in COLUMN_TITLES:
            return _(COLUMN_TITLES[section])
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        item = self._rows[index.row()]
        column = index.column()
        if role == RowRole:
            return item
        if role == IdRole:
            return item.id
        if role == Qt.ItemDataRole.DisplayRole:
            # Names as bidi islands in a paragraph of the UI's direction (a leading
            # direction mark: Qt would take the direction from the first Arabic name).
            if column == GUARDIANS:
                return ui_paragraph(isolated_names(item.row.guardians, " / ")) if item.row.guardians else ""
            if column == CHILDREN:
                return ui_paragraph(isolated_names(item.row.children, ", ")) if item.row.children else ""
            if column == PHONE:
                return ltr(self._phone(item.row.phone)) if item.row.phone else ""
            return self._display(item, column)
        if role == SortRole:
            if column == UPDATED:
                return item.row.updated
            if column == CONSENT:
                return {"no_store": 0, "no_contact": 1, "contact": 2}[consent_state(item)] * 10 + len(item.contact_channels)
            return self._display(item, column)
        if role == Qt.ItemDataRole.DecorationRole and column == CONSENT:
            return consent_icon(consent_state(item))
        if role == Qt.ItemDataRole.ToolTipRole and column == CONSENT:
            return consent_text(item)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _phone(self, e164: str) -> str:
        """Readable form (national for German numbers), cached: data() runs on every paint."""
        if e164 not in self._phones:
            self._phones[e164] = display_phone(e164)
        return self._phones[e164]

    def _display(self, item: FamilyListRow, column: int) -> str:
        row = item.row
        if column == GUARDIANS:
            return row.guardians
        if column == CHILDREN:
            return row.children
        if column == LANGUAGES:
            return language_names(row.languages)
        if column == PHONE:
            return self._phone(row.phone)
        if column == CONSENT:
            return consent_text(item)
        if column == UPDATED:
            moment = stamp_date(row.updated)
            return isolate(format_date(moment.date(), "short")) if moment else ""
        return ""

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if column >= 0 and SORT_COLUMNS.get(column) is None:
            return
        if column == self.sort_column and order == self.sort_order:
            return
        self.sort_column, self.sort_order = column, order
        if self._generation == 0:
            # Nothing loaded yet (the view sets its header's indicator while the page is built):
            # the first reload uses this order.  A background sort now would open the worker's
            # own store connection, a second key derivation, during start-up.
            return
        self.reload(keep_loaded=False, background=True)

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
