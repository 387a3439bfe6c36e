"""A Babel extraction method for Python sources that reads the syntax tree, not the tokens.

Babel's own ``python`` method walks the tokenizer's output, and the tokenizer
changed in Python 3.12 (PEP 701): on 3.11 an f-string is one STRING token, so a
``_()`` inside it is invisible; on 3.12 and later the same call is found.  The
same sources would then give a different template (and a different answer from
``catalogs check``) depending on the interpreter.  The ``ast`` module gives the
same tree for our sources on 3.11, 3.12 and 3.13, so this method extracts the
same msgids everywhere.  (``tests/test_i18n_source.py`` also forbids ``_()``
inside f-strings, so neither method has anything to miss.)

What it yields matches Babel's method for well-formed calls: for a call of a
keyword function (``_("x")``, ``ngettext("a", "b", n)``), the string literals at
the argument positions, ``None`` where an argument is not a literal (Babel then
skips the message unless the keyword spec says otherwise); translator comments
(``# TRANSLATORS: ...``) on the lines directly above the call.  Registered in
``babel.cfg`` under ``[extractors]``, so ``pybabel extract -F babel.cfg`` uses it too.
"""

from __future__ import annotations

import ast
import io
import tokenize
from collections.abc import Collection, Iterator, Mapping
from typing import IO, Any


def _literal(node: ast.AST) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def _comments(lines: list[str], lineno: int, tags: Collection[str]) -> list[str]:
    """Translator comments on the lines right above ``lineno`` (1-based), from the tag on."""
    block: list[str] = []
    index = lineno - 2
    while index >= 0 and lines[index].lstrip().startswith("#"):
        block.insert(0, lines[index].lstrip()[1:].strip())
        index -= 1
    for position, text in enumerate(block):
        if any(text.startswith(tag) for tag in tags):
            return block[position:]
    return []


def extract_python_ast(
    fileobj: IO[bytes], keywords: Mapping[str, Any], comment_tags: Collection[str], options: Mapping[str, Any],
) -> Iterator[tuple[int, str, str | None | tuple[str | None, ...], list[str]]]:
    """Babel extraction method: ``(lineno, funcname, message(s), comments)`` in source order."""
    data = fileobj.read()
    encoding, _lines = tokenize.detect_encoding(io.BytesIO(data).readline)
    source = data.decode(encoding)
    tree = ast.parse(source, filename=getattr(fileobj, "name", "<source>"))
    lines = source.splitlines()
    found = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in keywords):
            continue
        if not node.args:
            continue
        values = tuple(_literal(arg) for arg in node.args)
        strings = [arg for arg in node.args if _literal(arg) is not None]
        lineno = strings[0].lineno if strings else node.lineno
        message = values[0] if len(values) == 1 else values
        found.append(((node.lineno, node.col_offset), lineno, node.func.id, message,
                      _comments(lines, node.lineno, comment_tags)))
    for _position, lineno, funcname, message, comments in sorted(found, key=lambda item: item[0]):
        yield lineno, funcname, message, comments
