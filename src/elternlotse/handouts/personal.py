"""The family part of a personalised handout: guardians, each child with grade, school and the
parents' next steps, and the navigator's contact, in every column in that column's language."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from reportlab.lib.colors import Color

from elternlotse.domain.family import Family
from elternlotse.handouts.blocks import HandoutContext, NextSteps, Style, _line_items, _wrap, block_items, handout_string
from elternlotse.handouts.content import Block
from elternlotse.handouts.layout import LIGHT, MARGIN_X, PAGE_W, Column, Item, Row
from elternlotse.handouts.textlayout import isolate_ltr

def _value(text: str, column: Column) -> str:
    """A name, school or contact typed in Latin letters: one left-to-right unit in a right-to-left column."""
    return isolate_ltr(text) if column.rtl else text


def family_rows(family: Family, columns: list[Column], style: Style, context: HandoutContext,
                 next_steps: NextSteps | None, root: Path) -> list[Row]:
    def per_column(make: Callable[[Column], list[Item]]) -> Row:
        return Row([make(col) for col in columns])

    names = family.display_name()
    rows = [per_column(lambda col: _line_items(
        _wrap(handout_string("family", col.language, root, names=_value(names, col)), col, style.heading, bold=True),
        col))]
    for child in family.children:
        def child_items(col: Column, child=child) -> list[Item]:
            key = "child" if child.first_name else "child_unnamed"
            label = handout_string(key, col.language, root, name=_value(child.first_name, col), grade=child.grade)
            if child.school:
                label += " – " + _value(child.school, col)  # a dash: "·" reads as a Persian zero
            items = _line_items(_wrap(label, col, style.body, bold=True), col, space_before=style.body * 0.5)
            steps = list(next_steps(child, col.language)) if next_steps else []
            if steps:
                items += _line_items(_wrap(handout_string("next_steps", col.language, root) + ":", col, style.body), col)
                items += block_items(Block("bullets", items=tuple(steps)), col, style, {})
            return items
        rows.append(per_column(child_items))
    contact = [v for v in (context.navigator, context.organisation, context.contact) if v]
    if contact:
        def contact_items(col: Column) -> list[Item]:
            items = _line_items(_wrap(handout_string("navigator", col.language, root) + ":", col, style.body, bold=True),
                                col, space_before=style.body * 0.7)
            for value in contact:  # one line each: no separator to misread, no value split by the bidi algorithm
                items += _line_items(_wrap(_value(value, col), col, style.body), col)
            return items
        rows.append(per_column(contact_items))

    def rule(c, x, y):
        c.setStrokeColor(LIGHT)
        c.setLineWidth(0.6)
        c.line(MARGIN_X, y - 6, PAGE_W - MARGIN_X, y - 6)
        c.setStrokeColor(Color(0, 0, 0))
    rows.append(Row([[Item(10, rule)]]))
    return rows
