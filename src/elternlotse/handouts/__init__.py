"""Multilingual handouts: texts as data (``resources/handouts``) rendered to A4 PDFs with ReportLab.

May import ``elternlotse.domain`` and ``elternlotse.i18n`` only; never Qt, never the store.
Every language comes in as an argument; nothing here reads the UI language.
"""

from elternlotse.handouts.content import LANGUAGES, SOURCE_LANGUAGE, Block, HandoutLibrary, HandoutText, Topic
from elternlotse.handouts.render import (
    BatchEntry,
    HandoutContext,
    NextSteps,
    build_document,
    render_batch,
    render_handout,
    write_atomic,
)

__all__ = [
    "LANGUAGES", "SOURCE_LANGUAGE", "BatchEntry", "Block", "HandoutContext", "HandoutLibrary", "HandoutText",
    "NextSteps", "Topic", "build_document", "render_batch", "render_handout", "write_atomic",
]
