"""Reports: the figures for funders, previewed as the funder will see them (protected), then saved.

The office sees everyone's work, a navigator the same figures for their own.  Counting runs
off the GUI thread (``ui.tasks``) with a progress dialog for long runs; the preview shows the
published values (with "<5" and "x"), a chart per table and the key figures; the files are
the CLI's (``elternlotse.reports``).
"""

from __future__ import annotations

from PySide6.QtCharts import QBarCategoryAxis, QBarSet, QChart, QChartView, QHorizontalStackedBarSeries, QValueAxis
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPainter
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from elternlotse.domain.text import N_
from elternlotse.i18n import _, active_language, translator
from elternlotse.i18n.formatting import isolate, own_language_name
from elternlotse.i18n.languages import UI_LANGUAGES
from elternlotse.ui.i18n_qt import set_date_format
from elternlotse.ui.models.list_model import ListTableModel
from elternlotse.ui.tasks import error_text, runner_for

_PROTECTIONS = (("suppress", N_("Hide values of 1-4 (<5)")), ("round5", N_("Round to multiples of 5")))
_FORMATS = (("pdf", "PDF (*.pdf)"), ("xlsx", "Excel (*.xlsx)"), ("csv", "CSV (*.csv)"), ("json", "JSON (*.json)"))


def published_value(value) -> str:
    """A published figure as text: in a right-to-left UI a bidi island, so "<5" is not shown mirrored as "5>"."""
    return isolate(value) if QGuiApplication.isRightToLeft() else str(value)


class PublishedTableModel(ListTableModel):
    """One protected table: label, its published cells, the row total; the totals row last."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.columns: list[str] = []

    def show_table(self, table, total_label: str) -> None:
        self.columns = [table.row_header, *table.columns, total_label]
        published = table.published
        rows = [[label, *cells, total] for label, cells, total
                in zip(table.rows, published.cells, published.row_totals, strict=True)]
        rows.append([total_label, *published.column_totals, published.total])
        self.set_rows(rows)

    def headers(self) -> list[str]:
        return self.columns

    def cell(self, row, column: int, role: int):
        if role == Qt.ItemDataRole.CheckStateRole or column >= len(row):
            return None
        return published_value(row[column]) if column else str(row[column])


CHART_ROWS = 10  # what a 200-pixel chart shows with readable labels


class ReportsPage(QWidget):
    @staticmethod
    def page_title() -> str:
        return _("Reports")

    def __init__(self, services, parent=None) -> None:
        super().__init__(parent)
        self.services = services
        self.report = None
        today = QDate.currentDate()
        self.first = QDateEdit(QDate(today.year(), 1, 1))
        self.last = QDateEdit(today)
        for edit in (self.first, self.last):
            edit.setCalendarPopup(True)
            set_date_format(edit)
        self.protection = QComboBox()
        for key, label in _PROTECTIONS:
            self.protection.addItem(_(label), key)
        self.language = QComboBox()
        for tag in dict.fromkeys(["de", active_language(), *UI_LANGUAGES]):
            self.language.addItem(own_language_name(tag), tag)
        self.show_button = QPushButton(_("&Count"))
        self.show_button.clicked.connect(self.refresh)
        self.save_button = QPushButton(_("&Save report..."))
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(self._save)
        self.narrative_button = QPushButton(_("Narrative &report..."))
        self.narrative_button.setToolTip(_("A DOCX with the report's sections and figures, for the office to complete"))
        self.narrative_button.setEnabled(False)
        self.narrative_button.clicked.connect(self._save_narrative)
        bar = QHBoxLayout()
        for label, widget in ((_("&From:"), self.first), (_("&To:"), self.last), (_("&Protection:"), self.protection),
                              (_("&Labels in:"), self.language)):
            buddy = QLabel(label.replace("&", ""))  # no &-letter: the menus and the two buttons hold them
            buddy.setBuddy(widget)
            widget.setAccessibleName(label.replace("&", "").rstrip(":"))
            bar.addWidget(buddy)
            bar.addWidget(widget)
        bar.addWidget(self.show_button)
        bar.addStretch(1)
        bar.addWidget(self.save_button)
        bar.addWidget(self.narrative_button)

        self.rollup = None
        if services.store.info.is_office:   # a navigator has no roll-up to give
            from elternlotse.ui.pages.rollup_panel import RollupPanel

            self.rollup = RollupPanel(services, self._period)   # parented by the layout: Tab order follows it
            self.rollup.message.connect(self._say)
            self.rollup.imported.connect(self.refresh)
            self.rollup.source_changed.connect(self.refresh)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.key_figures = QLabel()
        self.key_figures.setTextFormat(Qt.TextFormat.PlainText)
        self.key_figures.setWordWrap(True)  # nine figures: never wider than the window
        self.table_choice = QComboBox()
        self.table_choice.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.table_choice.setMinimumContentsLength(20)
        self.table_choice.setAccessibleName(_("Table"))
        self.table_choice.currentIndexChanged.connect(self._show_table)
        self.model = PublishedTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAccessibleName(_("Published figures"))
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.chart_view = QChartView()
        self.chart_view.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.chart_view.setMinimumSize(360, 220)
        choice = QHBoxLayout()
        table_label = QLabel(_("T&able:").replace("&", ""))
        table_label.setBuddy(self.table_choice)
        choice.addWidget(table_label)
        choice.addWidget(self.table_choice, 1)
        # side by side: the table is narrow, and the chart's labels need the page's height
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.table)
        splitter.addWidget(self.chart_view)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)

        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        if self.rollup is not None:
            layout.addWidget(self.rollup)
        layout.addWidget(self.status)
        layout.addWidget(self.key_figures)
        layout.addLayout(choice)
        layout.addWidget(splitter, 1)
        if not services.store.info.is_office:
            self.status.setText(_("Your own work: the office's report counts every navigator."))

    # ---------------------------------------------------------------- counting
    def _period(self) -> tuple[str, str]:
        return self.first.date().toString(Qt.DateFormat.ISODate), self.last.date().toString(Qt.DateFormat.ISODate)

    def _say(self, text: str) -> None:
        self.status.setText(text)

    def refresh(self) -> None:
        first, last = self._period()
        language, rule = self.language.currentData(), self.protection.currentData()
        source = "auto"
        if self.rollup is not None:
            self.rollup.update_source()   # roll-ups imported elsewhere (the CLI) show the switch too
            source = self.rollup.source_key()

        def count(services, progress):
            translate = translator(language)
            report = services.reports.build(first, last, language=language, translate=translate, source=source)
            return report.protected(rule), translate

        self.show_button.setEnabled(False)
        runner_for(self).run(count, on_done=self._show, on_error=self._failed, title=_("Counting..."), parent=self)

    def _show(self, result) -> None:
        self.report, self.translate = result
        self.show_button.setEnabled(True)
        self.save_button.setEnabled(True)
        self.narrative_button.setEnabled(True)
        self.key_figures.setText("   ".join(f"{self.translate(label)}: {published_value(value)}"
                                            for label, value in self.report.key_published))
        self.table_choice.blockSignals(True)
        self.table_choice.clear()
        for table in self.report.tables:
            self.table_choice.addItem(table.title, table.key)
        self.table_choice.blockSignals(False)
        self._show_table(0)

    def _failed(self, error) -> None:
        self.show_button.setEnabled(True)
        self.status.setText(error_text(error))

    def _show_table(self, index: int) -> None:
        if self.report is None or not 0 <= index < len(self.report.tables):
            return
        table = self.report.tables[index]
        self.model.show_table(table, self.translate("Total"))
        self.table.resizeColumnsToContents()  # long German headings ("Kontakte mit Familien") show whole
        self.chart_view.setChart(self._chart(table))

    def _chart(self, table) -> QChart:
        """One bar per row: its published total (hidden drawn as 0); of a long table the ten largest,
        in the table's order (months stay in sequence).  Grey prints well.

        The row totals, not the cells: most single cells of a small office are "<5" or "x", and a
        stack of hidden cells would draw nothing where the total is published.
        """
        rows = list(zip(table.rows, table.published.row_totals, strict=True))
        if len(rows) > CHART_ROWS:
            largest = sorted(range(len(rows)), key=lambda i: -rows[i][1] if isinstance(rows[i][1], int) else 1)
            rows = [rows[i] for i in sorted(largest[:CHART_ROWS])]
        rows.reverse()  # a horizontal bar chart draws its first category at the bottom
        series = QHorizontalStackedBarSeries()
        bars = QBarSet(self.translate("Total"))
        bars.setColor(QColor.fromRgbF(0.35, 0.35, 0.35))
        for _label, total in rows:
            bars.append(float(total) if isinstance(total, int) else 0.0)
        series.append(bars)
        table_rows = [label for label, _total in rows]
        chart = QChart()
        chart.addSeries(series)
        categories = QBarCategoryAxis()
        categories.append(table_rows)
        chart.addAxis(categories, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(categories)
        values = QValueAxis()
        values.setRange(0, max([5.0, *(bars.at(i) for i in range(bars.count()))]))  # all hidden: still an axis
        values.setLabelFormat("%d")  # counts
        values.applyNiceNumbers()
        chart.addAxis(values, Qt.AlignmentFlag.AlignBottom)
        series.attachAxis(values)
        chart.setTitle(table.title)
        chart.legend().hide()  # one series, named in the table's last column
        return chart

    # ---------------------------------------------------------------- saving
    def _save(self) -> None:
        if self.report is None:
            return
        filters = ";;".join(f for _key, f in _FORMATS)
        stem = f"report-{self.report.first.isoformat()}-{self.report.last.isoformat()}"
        path, chosen = QFileDialog.getSaveFileName(self, _("Save report"), f"{stem}.pdf", filters)
        if path:
            fmt = next((key for key, f in _FORMATS if f == chosen), "pdf")
            self.save(path, fmt)

    def _save_narrative(self) -> None:
        if self.report is None:
            return
        stem = f"sachbericht-{self.report.first.isoformat()}-{self.report.last.isoformat()}"
        title = _("Narrative &report...").replace("&", "")
        path, _chosen = QFileDialog.getSaveFileName(self, title, f"{stem}.docx", "Word (*.docx)")
        if path:
            self.save(path, "docx")

    def save(self, path: str, fmt: str) -> None:
        from pathlib import Path

        from elternlotse.reports import tabular

        if fmt == "pdf":
            from elternlotse.reports.pdf import write_pdf

            write_pdf(self.report, Path(path), self.translate)
        elif fmt == "docx":
            from elternlotse.reports.narrative import write_docx

            write_docx(self.report, Path(path), self.translate)
        else:
            {"xlsx": tabular.write_xlsx, "csv": tabular.write_csv, "json": tabular.write_json}[fmt](
                self.report, Path(path), self.translate)
        self.status.setText(_("Saved {path}").format(path=path))
