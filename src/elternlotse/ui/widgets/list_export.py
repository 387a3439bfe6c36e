"""A list on paper: any table model as a PDF (QTextDocument -> QPdfWriter), saved atomically with mode 0600.

Used for an event's attendance and invitation lists.  Qt's text layout shapes every
script (Arabic, Cyrillic) with font fallback; each cell is a bidi island in the
page's direction.  The file holds personal data: ``write_atomic`` creates it 0600.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QAbstractItemModel, QBuffer, QByteArray, QEvent, QIODevice, QMarginsF, QObject, Qt
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument
from PySide6.QtWidgets import QFileDialog, QWidget

from elternlotse.handouts.render import write_atomic
from elternlotse.i18n import _, active_language
from elternlotse.ui.i18n_qt import layout_direction


def model_rows(model: QAbstractItemModel, keep=None) -> tuple[list[str], list[list[str]]]:
    """Headers and the display text of every row (``keep(row) -> bool`` filters)."""
    columns = range(model.columnCount())
    headers = [str(model.headerData(c, Qt.Orientation.Horizontal) or "") for c in columns]
    rows = []
    for row in range(model.rowCount()):
        if keep is not None and not keep(row):
            continue
        rows.append([str(model.index(row, c).data() or "") for c in columns])
    return headers, rows


def table_pdf(title: str, subtitle: str, headers: list[str], rows: list[list[str]], language: str) -> bytes:
    direction = "rtl" if layout_direction(language) == Qt.LayoutDirection.RightToLeft else "ltr"
    cells = "".join(f"<th align='start'>{html.escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(v)}</td>" for v in row) + "</tr>" for row in rows)
    document = QTextDocument()
    document.setHtml(
        f"<html dir='{direction}'><body><h2>{html.escape(title)}</h2><p>{html.escape(subtitle)}</p>"
        f"<table border='1' cellspacing='0' cellpadding='4' width='100%'><tr>{cells}</tr>{body}</table></body></html>")
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    writer = QPdfWriter(buffer)
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                                     QMarginsF(15, 15, 15, 15), QPageLayout.Unit.Millimeter))
    writer.setTitle(title)
    document.print_(writer)
    del writer  # finishes the PDF
    buffer.close()
    return bytes(data)


def save_table_pdf(parent: QWidget, suggested: str, pdf: bytes) -> str | None:
    """Ask where, write atomically (0600); the path, or None when the person cancelled."""
    path, _filter = QFileDialog.getSaveFileName(parent, _("Save as PDF"), suggested, _("PDF files (*.pdf)"))
    if not path:
        return None
    if not path.lower().endswith(".pdf"):
        path += ".pdf"
    write_atomic(path, pdf)
    return path


class PlainKeys(QObject):
    """A few plain keys on given widgets (Down from the search into the list, Space to tick)."""

    def __init__(self, actions: dict, parent: QObject) -> None:
        super().__init__(parent)
        self.actions = actions
        for widget, _key in actions:
            widget.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.KeyPress and event.modifiers() == Qt.KeyboardModifier.NoModifier:
            action = self.actions.get((obj, event.key()))
            if action is not None:
                action()
                return True
        return False


def event_list_pdf(services, event, which: str, invitation_model, details: str) -> bytes:
    """An event's attendance (the families present) or invitation list as a PDF in the UI language."""
    from elternlotse.ui.models.kaoa_models import AttendanceModel

    if which == "attendance":
        model = AttendanceModel()
        attendees = services.events.attendees(event.id)
        model.set_present(r.id for r in attendees)
        model.set_rows(attendees)
        headers, rows = model_rows(model)
        headers, rows = headers[1:], [row[1:] for row in rows]  # the tick column says nothing on paper
        title = _("Attendance: {event}").format(event=event.title or event.type)
    else:
        headers, rows = model_rows(invitation_model)
        title = _("Invitations: {event}").format(event=event.title or event.type)
    lines = details.splitlines()
    return table_pdf(title, lines[1] if len(lines) > 1 else "", headers, rows, active_language())


__all__ = ["model_rows", "table_pdf", "save_table_pdf", "event_list_pdf", "PlainKeys"]
