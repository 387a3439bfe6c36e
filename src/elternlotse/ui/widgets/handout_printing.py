"""Print a family's handout from a page: choose a topic, render off the GUI thread, print.

The PDF comes from ``HandoutService.render_for_family`` (the family's language
beside German, personalised); printing draws each page of that PDF onto the
printer (QtPdf renders, so no PDF file with personal data is left on disk).
"""

from __future__ import annotations

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, QSize, Qt
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QDialog, QMenu, QWidget

from elternlotse.i18n import _, active_language
from elternlotse.ui.tasks import runner_for

#: Topics offered first at a stand: the information owed at collection (GDPR Art. 13), then the basics.
FIRST_TOPICS = ("privacy-information", "kaoa-path", "dual-training")
PRINT_DPI = 200


def handout_service(services):
    handouts = getattr(services, "handouts", None)
    if handouts is not None:
        return handouts
    from elternlotse.services.handouts import HandoutService

    return HandoutService(services.store, services.families, getattr(services, "checklists", None))


def can_print_handouts(services) -> bool:
    try:
        return bool(handout_service(services).library.topics())
    except Exception:  # noqa: BLE001 - no handouts installed: the button is left out
        return False


def topic_choices(services) -> list[tuple[str, str]]:
    """(topic id, title in the UI language) in the order offered at a stand."""
    library = handout_service(services).library
    ui = active_language()
    choices = []
    for topic in library.topics():
        language = ui if ui in topic.languages else "de"
        try:
            title = library.load(topic.id, language).title
        except Exception:  # noqa: BLE001 - a broken text file must not hide the others
            continue
        choices.append((topic.id, title))
    rank = {topic: i for i, topic in enumerate(FIRST_TOPICS)}
    return sorted(choices, key=lambda pair: rank.get(pair[0], len(rank)))


def handout_menu(services, parent: QWidget, on_topic) -> QMenu:
    menu = QMenu(parent)
    for topic, title in topic_choices(services):
        action = menu.addAction(title)
        action.triggered.connect(lambda _checked=False, t=topic: on_topic(t))
    return menu


def print_family_handout(services, family_id: str, parent: QWidget, topic: str, on_printed=None) -> None:
    """Render off the GUI thread, then ask for the printer and print.

    ``on_printed(topic, language)`` is called after the handout went to the printer
    (e.g. to count it for an event), with the language it was printed in.
    """
    def render(worker_services, progress):
        handouts = handout_service(worker_services or services)
        family = handouts.family(family_id)
        language = handouts.family_language(family, handouts.library.languages(topic))
        return handouts.render_for_family(topic, family_id), language

    def done(result) -> None:
        data, language = result
        if print_pdf(data, parent) and on_printed is not None:
            on_printed(topic, language)

    runner_for(parent).run(render, on_done=done, title=_("Preparing the handout..."), parent=parent)


def print_pdf(data: bytes, parent: QWidget | None = None) -> bool:
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(_("Print handout"))
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    return paint_pdf(data, printer) > 0


def paint_pdf(data: bytes, device) -> int:
    """Draw every page of the PDF ``data`` onto ``device`` (a QPrinter); return the pages drawn."""
    from PySide6.QtPdf import QPdfDocument

    document = QPdfDocument()
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    if document.status() != QPdfDocument.Status.Ready:
        return 0
    count = document.pageCount()
    painter = QPainter(device)
    try:
        for page in range(count):
            if page:
                device.newPage()
            points = document.pagePointSize(page)
            area = QRectF(painter.viewport())
            scale = min(area.width() / points.width(), area.height() / points.height())
            target = QRectF(area.x(), area.y(), points.width() * scale, points.height() * scale)
            pixels = QSize(int(points.width() / 72 * PRINT_DPI), int(points.height() / 72 * PRINT_DPI))
            image = QImage(pixels, QImage.Format.Format_RGB32)
            image.fill(Qt.GlobalColor.white)  # QtPdf renders a transparent page
            page_painter = QPainter(image)
            page_painter.drawImage(0, 0, document.render(page, pixels))
            page_painter.end()
            painter.drawImage(target, image)
    finally:
        painter.end()
        document.close()
    return count
