"""Every user-visible string of the UI and the CLI goes through the catalogue.

A static check over the sources (ast): no f-string, concatenation or %-formatting
inside ``_()``/``N_()``/``ngettext()`` (the msgid must be a literal so that it is
extracted and found again at run time), and no bare string literal handed to a
Qt text setter or an argparse ``help=`` in ``elternlotse.ui`` and ``elternlotse.cli``.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from tests.test_i18n_catalogs import trailing

SRC = Path(__file__).resolve().parent.parent / "src" / "elternlotse"
KEYWORDS = {"_", "N_", "ngettext", "pgettext"}
QT_TEXT_CALLS = {
    "setText", "setWindowTitle", "setToolTip", "setPlaceholderText", "setStatusTip", "setTitle", "addItem",
    "setInformativeText", "setLabelText", "setHeaderLabels", "addTab", "setTabText", "showMessage", "addMenu",
    "QLabel", "QPushButton", "QCheckBox", "QRadioButton", "QGroupBox", "QAction", "QToolButton",
    "warning", "information", "critical", "question", "about",
    # CLI output
    "say", "getpass", "print", "write",
}
# Literals that are not language: empty, punctuation, formats, icons, object names.
ALLOWED = {"", " ", "-", "–", "—", "·", "…", "...", ":", "/", "|", "+", "%", "×", "✓", "✗", "•", "→", "←"}


def _name(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _is_language(text: str) -> bool:
    stripped = text.strip()
    if stripped in ALLOWED or not re.search(r"[^\W\d_]{2,}", stripped):  # a word, not "x" in "3 x 2"
        return False
    return not stripped.startswith(("http://", "https://", "mailto:", ":/", "Ctrl+", "Alt+", "Shift+"))


def _modules(*packages: str) -> list[Path]:
    files = []
    for package in packages:
        files.extend(sorted((SRC / package).rglob("*.py")))
    return files


def _problems_in(path: Path, check_literals: bool) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    problems = []
    where = path.name if SRC.parent.parent not in path.parents else path.relative_to(SRC.parent.parent)
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _name(node.func)
        if name in KEYWORDS and node.args:
            for arg in node.args[: 2 if name in ("ngettext", "pgettext") else 1]:
                literal = isinstance(arg, ast.Constant) and isinstance(arg.value, str)
                # _(VARIABLE) is the N_ pattern (marked elsewhere, translated here); what can never
                # work is a msgid built at run time: f-string, concatenation, %, .format() inside.
                built = isinstance(arg, (ast.JoinedStr, ast.BinOp)) or (
                    isinstance(arg, ast.Call) and _name(arg.func) in ("format", "join"))
                if built or (name == "N_" and not literal):
                    problems.append(f"{where}:{node.lineno}: {name}() needs a literal msgid, got {type(arg).__name__}")
        if not check_literals:
            continue
        if name in QT_TEXT_CALLS:
            for arg in node.args:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and _is_language(arg.value):
                    problems.append(f"{where}:{node.lineno}: {name}({arg.value!r}) is not translated")
                if isinstance(arg, ast.JoinedStr) and any(
                        isinstance(v, ast.Constant) and _is_language(str(v.value)) for v in arg.values):
                    problems.append(f"{where}:{node.lineno}: {name}(f-string with words) is not translated")
        for keyword in node.keywords:
            if keyword.arg in ("help", "description") and isinstance(keyword.value, ast.Constant) \
                    and isinstance(keyword.value.value, str) and _is_language(keyword.value.value):
                problems.append(f"{where}:{node.lineno}: {keyword.arg}={keyword.value.value!r} is not translated")
    return problems


def _translation_calls_in_fstrings(path: Path) -> list[str]:
    """``f"{_('x')}"`` and ``_(f"...")``: invisible to Babel's tokenizer-based extractor on 3.11."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    problems = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.JoinedStr):
            continue
        for inner in ast.walk(node):
            if isinstance(inner, ast.Call) and isinstance(inner.func, ast.Name) and inner.func.id in KEYWORDS:
                problems.append(f"{path.name}:{inner.lineno}: {inner.func.id}() inside an f-string; "
                                f"write _(\"... {{x}}\").format(x=...)")
    return problems


def test_no_translation_call_inside_an_fstring():
    problems = [p for path in _modules(".") for p in _translation_calls_in_fstrings(path)]
    assert problems == [], "\n".join(problems)


def test_the_fstring_check_finds_calls_at_any_depth(tmp_path: Path):
    target = tmp_path / "probe.py"
    target.write_text(
        "from elternlotse.i18n import _, ngettext\n"
        "x = f\"<h2>{_('Call list')}</h2>\"\n"
        "y = f\"{', '.join(_(v) for v in values)}\"\n"
        "z = f\"{ngettext('{n} a', '{n} b', n).format(n=n)}\"\n"
        "fine = _('Week of {date}').format(date=f'{d:%Y}')\n"
        "also_fine = '<h2>{}</h2>'.format(_('Call list'))\n",
        encoding="utf-8")
    problems = _translation_calls_in_fstrings(target)
    assert [p.split(":")[1] for p in problems] == ["2", "3", "4"]


def test_msgids_are_literals_everywhere():
    problems = [p for path in _modules(".") for p in _problems_in(path, check_literals=False)]
    assert problems == []


@trailing
@pytest.mark.parametrize("package", ["ui", "cli"])
def test_no_untranslated_literals_in_ui_and_cli(package):
    problems = [p for path in _modules(package) for p in _problems_in(path, check_literals=True)]
    assert problems == [], "\n".join(problems)


def test_the_check_finds_what_it_should(tmp_path: Path):
    source = (
        "from elternlotse.i18n import _\n"
        "name = 'x'\n"
        "label.setText('Save family')\n"
        "QPushButton(f'Erase {name}')\n"
        "_(f'Hello {name}')\n"
        "parser.add_argument('--x', help='the x')\n"
        "label.setText(_('Fine'))\n"
        "label.setText('·')\n"
        "label.setText(_(LABELS[key]))\n"
        "N_(name)\n"
    )
    target = tmp_path / "probe.py"
    target.write_text(source, encoding="utf-8")
    problems = _problems_in(target, check_literals=True)
    assert len(problems) == 5, problems
    assert all(str(n) in " ".join(problems) for n in (3, 4, 5, 6, 10))
