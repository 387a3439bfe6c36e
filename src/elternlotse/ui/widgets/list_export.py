"""A list on paper: any table model as a PDF (QTextDocument -> QPdfWriter), saved atomically with mode 0600.

Used for an event's attendance and invitation lists.  Qt's text layout shapes every
script (Arabic, Cyrillic) with font fallback; each cell is a bidi island in the
page's direction.  The file holds personal data: ``write_atomic`` creates it 0600.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QAbstractItemModel, QBuffer, QByteArray, QIODevice, QMarginsF, Qt
from PySide6.QtGui import QPageLayout, QPageSize, QPdfWriter, QTextDocument
from PySide6.QtWidgets import QFileDialog, QWidget

from elternlotse.handouts.render import write_atomic
from elternlotse.i18n import _
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


__all__ = ["model_rows", "table_pdf", "save_table_pdf"]
