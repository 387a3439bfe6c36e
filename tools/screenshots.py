"""Screenshots of every page, at 1366x768 (a typical navigator laptop), on a fresh demo store.

    ./dev shots [--lang de|tr|ar|uk|...] [--out docs/screenshots] [--families 300] [--offscreen]

Runs the app under Xvfb (started here; install it with
``apt-get install xvfb libxcb-icccm4 libxcb-keysyms1``) and grabs the screen;
without Xvfb it falls back to Qt's offscreen platform and grabs the window.
Every page from ``ui.pages.registry`` is shot (new pages are included
automatically), plus the family detail and consent tab of a family with
Arabic-script and Cyrillic names.  PNGs are palette-quantised to stay small.
Files: ``<out>/<lang>/NN-<page>.png``.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
WIDTH, HEIGHT = 1366, 768
PASSPHRASE = "screenshot-passphrase"

SHOWCASE_FAMILY = {
    "guardians": [
        {"id": "g1", "name": "فاطمة الحسن", "languages": ["ar", "de"], "phones": ["0176 2345 6789"],
         "emails": ["f.alhassan@example.org"], "messenger": [{"app": "WhatsApp", "handle": "0176 2345 6789"}],
         "address": "Elberfelder Str. 12, 58095 Hagen"},
        {"id": "g2", "name": "Олена Шевченко", "languages": ["uk", "ru"], "phones": ["0157 8765 4321"]},
    ],
    "children": [
        {"id": "c1", "first_name": "يوسف", "grade": 8, "school": "Gesamtschule Hagen-Haspe", "school_year": "2026/27"},
        {"id": "c2", "first_name": "Марія", "grade": 10, "school": "Realschule Emst", "school_year": "2026/27"},
    ],
    "consents": [
        *[{"person": "g1", "purpose": p, "channel": c, "granted": True, "at": "2026-10-06T16:20:00Z",
           "evidence": "signed_form", "text_version": "2026-1", "text_language": "ar"}
          for p, c in (("store", None), ("contact", "phone"), ("contact", "messenger"), ("contact", "email"),
                       ("invitations", None))],
        {"person": "g1", "purpose": "contact", "channel": "email", "granted": False, "at": "2026-11-03T09:05:00Z",
         "evidence": "written_message", "text_version": "2026-1", "text_language": "ar"},
        *[{"person": "g2", "purpose": p, "channel": c, "granted": True, "at": "2026-10-06T16:25:00Z",
           "evidence": "verbal_witness", "text_version": "2026-1", "text_language": "uk"}
          for p, c in (("store", None), ("contact", "sms"))],
    ],
    "notes": "Elternabend Klasse 8: Dolmetscherin für Arabisch gewünscht.",
}


def start_xvfb() -> subprocess.Popen | None:
    """A virtual screen of 1366x768; None when Xvfb is not available."""
    binary = shutil.which("Xvfb")
    if binary is None and os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run("apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "
                       "--no-install-recommends xvfb libxcb-icccm4 libxcb-keysyms1", shell=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        binary = shutil.which("Xvfb")
    if binary is None:
        return None
    for number in range(99, 120):
        if not Path(f"/tmp/.X11-unix/X{number}").exists() and not Path(f"/tmp/.X{number}-lock").exists():
            break
    process = subprocess.Popen([binary, f":{number}", "-screen", "0", f"{WIDTH}x{HEIGHT}x24", "-nolisten", "tcp"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(50):
        if Path(f"/tmp/.X11-unix/X{number}").exists():
            os.environ["DISPLAY"] = f":{number}"
            return process
        time.sleep(0.1)
    process.kill()
    return None


def slug(cls: type) -> str:
    name = re.sub(r"Page$", "", cls.__name__)
    return re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()


def save_png(image, path: Path) -> Path:
    """Save a QImage/QPixmap, palette-quantised (UI shots need few colours)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    image.save(str(path), "PNG")
    try:
        from PIL import Image

        with Image.open(path) as original:
            small = original.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
        small.save(path, optimize=True)
    except ImportError:
        pass
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", default="en", help="UI language (en, de, tr, ar, uk, ...)")
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshots"))
    parser.add_argument("--families", type=int, default=300)
    parser.add_argument("--offscreen", action="store_true", help="do not use Xvfb")
    args = parser.parse_args()

    xvfb = None if args.offscreen else start_xvfb()
    os.environ["QT_QPA_PLATFORM"] = "xcb" if xvfb else "offscreen"
    try:
        return shoot(args, real_screen=xvfb is not None)
    finally:
        if xvfb is not None:
            xvfb.terminate()
            xvfb.wait(5)


def shoot(args, real_screen: bool) -> int:
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from elternlotse.app import create_store, open_store
    from elternlotse.services.demo import fill_demo, fill_demo_contacts, fill_demo_events
    from elternlotse.ui.i18n_qt import install_language
    from elternlotse.ui.main_window import MainWindow
    from elternlotse.ui.start import make_application
    from elternlotse.ui.tasks import TaskRunner

    qapp = make_application()
    qapp.setStyle("Fusion")  # the same look on every machine (Windows has its own, Xvfb has none)
    language = install_language(qapp, args.lang)
    data_dir = Path(tempfile.mkdtemp(prefix="elternlotse-shots-")) / "data"
    services = create_store(data_dir, PASSPHRASE, "Ayla Demir", "KoKo Hagen")
    fill_demo(services, args.families, seed=11)
    fill_demo_events(services, seed=11)
    fill_demo_contacts(services, seed=11)  # the Reports page shows figures, as on `elternlotse demo`
    showcase = services.families.add(SHOWCASE_FAMILY)

    window = MainWindow(services, TaskRunner(lambda: open_store(data_dir, PASSPHRASE)))
    window.setGeometry(0, 0, WIDTH, HEIGHT)
    window.show()
    out = Path(args.out) / language

    def settle(ms: int = 400) -> None:
        for _ in range(3):
            QTest.qWait(ms // 3)
            window.tasks.wait(60000)  # a page's counting (Reports) can take a while on a loaded machine
            qapp.processEvents()

    def grab(name: str) -> Path:
        settle()
        image = qapp.primaryScreen().grabWindow(0) if real_screen else window.grab()
        path = save_png(image, out / f"{name}.png")
        print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}  {path.stat().st_size // 1024} KB")
        return path

    settle(800)
    for index, cls in enumerate(window.page_types):
        window.show_page(index)
        grab(f"{index + 1:02d}-{slug(cls)}")
        page = window.pages[index]
        if hasattr(page, "open_family") and hasattr(page, "detail"):
            page.open_family(showcase.id)
            grab(f"{index + 1:02d}-{slug(cls)}-detail")
            page.detail.tabs.setCurrentIndex(1)
            grab(f"{index + 1:02d}-{slug(cls)}-consent")
            page.detail.tabs.setCurrentIndex(0)
            page.show_list()
    window.shutdown()
    window.close()
    services.store.close()
    shutil.rmtree(data_dir.parent, ignore_errors=True)
    QApplication.processEvents()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
