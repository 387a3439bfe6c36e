"""Handouts: choose a topic and the parent's language (German beside it), preview, print, save.

The PDF is rendered off the GUI thread (``ui.tasks``); the preview is QtPdf's
``QPdfView`` over the bytes in memory.  Printing paints the pages through the
native print dialog (``ui.widgets.handout_printing``, shared with quick capture); saving
writes the same bytes atomically.

For other pages: ``print_handout_for_family`` / ``save_handout_for_family``
(the family's language beside German, personalised) and ``print_event_batch``
(one handout per attending family, one PDF).
"""

from __future__ import annotations

from PySide6.QtCore import QAbstractTableModel, QBuffer, QByteArray, QIODevice, QModelIndex, QPointF, Qt
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from elternlotse.domain.errors import ElternlotseError
from elternlotse.handouts import SOURCE_LANGUAGE, HandoutLibrary, render_handout, write_atomic
from elternlotse.i18n import _, active_language, translate_error
from elternlotse.i18n.formatting import join_list, latin_digits
from elternlotse.ui.saved_files import saved
from elternlotse.ui.tasks import runner_for
from elternlotse.ui.widgets.handout_printing import handout_service as _service
from elternlotse.ui.widgets.handout_printing import paint_pdf, print_pdf

__all__ = ["HandoutsPage", "TopicModel", "load_pdf", "paint_pdf", "print_event_batch", "print_handout_for_family",
           "print_pdf", "save_handout_for_family", "save_pdf"]


def _own_name(tag: str) -> str:
    """The language's name in itself (Türkçe, العربية, ትግርኛ)."""
    try:
        from elternlotse.i18n.languages import language

        return language(tag).own_name
    except Exception:  # noqa: BLE001 - a tag the table does not know: Babel directly
        from babel import Locale

        try:
            return Locale.parse(tag).get_display_name(tag)
        except Exception:  # noqa: BLE001
            return tag


# ---------------------------------------------------------------- the topic list

class TopicModel(QAbstractTableModel):
    TITLE, LANGUAGES, REVIEW = range(3)
    SortRole = Qt.ItemDataRole.UserRole + 1
    RowRole = Qt.ItemDataRole.UserRole + 2

    def __init__(self, library: HandoutLibrary, parent=None) -> None:
        super().__init__(parent)
        self.library = library
        self.rows: list[dict] = []
        self.reload()

    def reload(self) -> None:
        self.beginResetModel()
        ui = active_language()
        rows = []
        for topic in self.library.topics():
            lang = ui if ui in topic.languages else SOURCE_LANGUAGE
            try:
                title = self.library.load(topic.id, lang).title
                unreviewed = sum(1 for x in topic.languages if not self.library.load(topic.id, x).reviewed)
            except ElternlotseError:
                continue
            rows.append({"id": topic.id, "title": latin_digits(title), "order": topic.order,
                         "languages": list(topic.languages), "unreviewed": unreviewed})
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent=QModelIndex()) -> int:
        return 0 if parent.isValid() else 3

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return (_("Topic"), _("Languages"), _("Not yet reviewed"))[section]
        return None

    def data(self, index: QModelIndex, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        column = index.column()
        if role == self.RowRole:
            return row
        if role == Qt.ItemDataRole.DisplayRole:
            return (row["title"], str(len(row["languages"])), str(row["unreviewed"]))[column]
        if role == self.SortRole:
            return (row["order"], len(row["languages"]), row["unreviewed"])[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return row["title"] if column == self.TITLE else join_list(_own_name(x) for x in row["languages"])
        if role == Qt.ItemDataRole.TextAlignmentRole and column:
            return int(Qt.AlignmentFlag.AlignTrailing | Qt.AlignmentFlag.AlignVCenter)
        return None


# ---------------------------------------------------------------- PDF helpers (shared with other pages)

def load_pdf(document: QPdfDocument, data: bytes) -> QBuffer:
    """Load ``data`` into ``document``; keep the returned buffer alive as long as the document."""
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    return buffer


def save_pdf(data: bytes, parent: QWidget | None, suggested: str, services=None) -> str | None:
    """Save a handout (owner-only: written through a 0600 temporary file).  With ``services``
    the handout is personalised: a failure is explained and the first save says it left the store."""
    path, _filter = QFileDialog.getSaveFileName(parent, _("Save handout"), suggested, _("PDF files (*.pdf)"))
    if not path:
        return None
    if not path.lower().endswith(".pdf"):
        path += ".pdf"
    if services is None:
        write_atomic(path, data)
        return path
    return path if saved(parent, services, path, lambda: write_atomic(path, data)) else None


def confirm_saved(parent: QWidget | None, path: str | None) -> None:
    """Say where the PDF went (a file dialog closing is no proof that anything was written)."""
    if path:
        box = QMessageBox(QMessageBox.Icon.Information, _("Save handout"), _("Saved: {path}").format(path=path),
                          QMessageBox.StandardButton.Ok, parent)
        box.open()


def print_handout_for_family(services, family_id: str, topic: str, parent: QWidget, save: bool = False) -> None:
    """Render the family's handout (its language beside German, personalised) off the GUI thread; print or save."""
    def render(_worker, _progress):
        return _service(services).render_for_family(topic, family_id)

    def done(data: bytes) -> None:
        if save:
            confirm_saved(parent, save_pdf(data, parent, f"{topic}.pdf", services))
        else:
            print_pdf(data, parent)
    runner_for(parent).run(render, on_done=done, title=_("Preparing the handout..."), parent=parent)


def save_handout_for_family(services, family_id: str, topic: str, parent: QWidget) -> None:
    print_handout_for_family(services, family_id, topic, parent, save=True)


def print_event_batch(services, topic: str, family_ids: list[str], parent: QWidget, save: bool = False) -> None:
    """One handout per attending family in its language, as one PDF: print it or save it."""
    def render(_worker, progress):
        progress(0, 1, _("Preparing {count} handouts...").format(count=len(family_ids)))
        return _service(services).render_batch(topic, family_ids)

    def done(data: bytes) -> None:
        if save:
            confirm_saved(parent, save_pdf(data, parent, f"{topic}-event.pdf", services))
        else:
            print_pdf(data, parent)
    runner_for(parent).run(render, on_done=done, title=_("Preparing the handouts..."), parent=parent)


# ---------------------------------------------------------------- the page

class HandoutsPage(QWidget):
    def __init__(self, services, parent=None) -> None:
        super().__init__(parent)
        self.services = services
        self.handouts = _service(services)
        self.library = self.handouts.library
        self.pdf_data: bytes = b""
        self._generation = 0
        self._buffer: QBuffer | None = None

        self.model = TopicModel(self.library, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(TopicModel.TITLE, header.ResizeMode.Stretch)
        header.setSectionResizeMode(TopicModel.LANGUAGES, header.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(TopicModel.REVIEW, header.ResizeMode.ResizeToContents)
        self.table.setAccessibleName(_("Handout topics"))

        self.language = QComboBox()
        self.language.setAccessibleName(_("Parent's language"))
        self.beside_german = QCheckBox(_("German beside it"))
        self.beside_german.setChecked(True)
        self.contact = QLineEdit(self.handouts.contact())
        self.contact.setMaxLength(200)
        self.contact.setPlaceholderText(_("phone, e-mail, office hours"))
        self.contact.setAccessibleName(_("Your contact on handouts"))
        self.state = QLabel()
        self.state.setWordWrap(True)
        self.print_button = QPushButton(_("&Print..."))
        self.save_button = QPushButton(_("&Save as PDF..."))

        form = QFormLayout()
        form.addRow(_("Parent's language:"), self.language)
        form.addRow("", self.beside_german)
        form.addRow(_("Your contact:"), self.contact)
        buttons = QHBoxLayout()
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.table, 1)
        left_layout.addLayout(form)
        left_layout.addWidget(self.state)
        left_layout.addLayout(buttons)

        self.document = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setDocument(self.document)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setAccessibleName(_("Handout preview"))

        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(self.view)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([380, 520])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        self.table.selectionModel().currentRowChanged.connect(self._topic_changed)
        self.language.currentIndexChanged.connect(self._render)
        self.beside_german.toggled.connect(self._render)
        self.contact.editingFinished.connect(self._save_contact)
        self.print_button.clicked.connect(self.print_current)
        self.save_button.clicked.connect(self.save_current)
        self._set_ready(False)
        if self.model.rowCount():
            self.table.selectRow(0)

    @staticmethod
    def page_title() -> str:
        return _("Handouts")

    def refresh(self) -> None:
        current = self.current_topic()
        self.model.reload()
        for row, data in enumerate(self.model.rows):
            if data["id"] == current:
                self.table.selectRow(row)
                break
        else:
            if self.model.rowCount():
                self.table.selectRow(0)

    # ------------------------------------------------------------ state
    def current_topic(self) -> str | None:
        index = self.table.currentIndex()
        row = self.model.data(self.model.index(index.row(), 0), TopicModel.RowRole) if index.isValid() else None
        return row["id"] if row else None

    def current_language(self) -> str | None:
        return self.language.currentData()

    def _topic_changed(self, *_args) -> None:
        topic = self.current_topic()
        keep = self.current_language()
        self.language.blockSignals(True)
        self.language.clear()
        if topic:
            for tag in self.library.languages(topic):
                self.language.addItem(_own_name(tag), tag)
            index = self.language.findData(keep) if keep else -1
            self.language.setCurrentIndex(index if index >= 0 else 0)
        self.language.blockSignals(False)
        self._render()

    def _set_ready(self, ready: bool) -> None:
        self.print_button.setEnabled(ready)
        self.save_button.setEnabled(ready)

    # ------------------------------------------------------------ rendering
    def _render(self, *_args) -> None:
        topic, lang = self.current_topic(), self.current_language()
        if not topic or not lang:
            return
        other = SOURCE_LANGUAGE if self.beside_german.isChecked() and lang != SOURCE_LANGUAGE else None
        self.beside_german.setEnabled(lang != SOURCE_LANGUAGE)
        context = self.handouts.context()  # a quick read of the store's details, on the GUI thread
        library = self.library
        self._generation += 1
        generation = self._generation
        self._set_ready(False)
        self.state.setText(_("Preparing the preview..."))

        def render(_worker, _progress):
            return render_handout(topic, lang, other, context=context, library=library)

        task = runner_for(self).run(render, on_done=lambda data: self._show(generation, data),
                                    on_error=lambda error: self._failed(generation, error))
        self.last_task = task

    def _show(self, generation: int, data: bytes) -> None:
        if generation != self._generation:
            return  # a newer choice is already being rendered
        self.pdf_data = data
        self.document.close()
        self._buffer = load_pdf(self.document, data)
        self.view.pageNavigator().jump(0, QPointF(), self.view.zoomFactor())
        pages = self.document.pageCount()
        text = _("{pages} page(s), A4.").format(pages=pages)
        topic, lang = self.current_topic(), self.current_language()
        if topic and lang and not self.library.load(topic, lang).reviewed:
            text += " " + _("This translation is not yet reviewed by a native speaker; the handout says so in its footer.")
        self.state.setText(text)
        self._set_ready(True)

    def _failed(self, generation: int, error: BaseException) -> None:
        if generation != self._generation:
            return
        message = translate_error(error) if isinstance(error, ElternlotseError) else str(error)
        self.state.setText(message)

    def _save_contact(self) -> None:
        text = self.contact.text()
        if " ".join(text.split()) == self.handouts.contact():
            return
        try:
            self.contact.setText(self.handouts.set_contact(text))
        except ElternlotseError as error:
            self.state.setText(translate_error(error))
            return
        self._render()

    # ------------------------------------------------------------ print and save
    def suggested_name(self) -> str:
        lang = self.current_language() or "de"
        other = "-de" if self.beside_german.isChecked() and lang != SOURCE_LANGUAGE else ""
        return f"{self.current_topic()}-{lang}{other}.pdf"

    def print_current(self) -> None:
        if self.pdf_data:
            print_pdf(self.pdf_data, self)

    def save_current(self) -> None:
        if not self.pdf_data:
            return
        try:
            path = save_pdf(self.pdf_data, self, self.suggested_name())
        except OSError as error:
            QMessageBox.warning(self, _("Save handout"), str(error))
            return
        if path:
            self.state.setText(_("Saved: {path}").format(path=path))
            confirm_saved(self, path)
