"""Handout texts as data: ``resources/handouts/<topic>/<lang>.json`` (see the README there).

The loader checks every file against German, the source language: the same
number of blocks, of the same kinds, and as many bullet items.  That alignment
is what lets the bilingual layout put block *i* of a parent's language beside
block *i* of German.  A file that does not fit is refused with one sentence
naming the file and the block.  Qt-free; no store access.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from elternlotse.domain.errors import NotFoundError, ValidationError
from elternlotse.domain.text import N_

#: Handout languages (issues 5 and 14), German first: it is the source.  Dari is ``fa-AF``.
LANGUAGES: tuple[str, ...] = ("de", "en", "tr", "ar", "fa", "ru", "uk", "pl", "ro", "bg", "kmr", "ti",
                              "fa-AF", "ps", "ckb", "so", "sq")
SOURCE_LANGUAGE = "de"
BLOCK_KINDS = ("heading", "paragraph", "bullets", "checkbox", "signature")
#: Placeholders filled from the store's details; any other ``{...}`` is refused.
#: ``retention``: the storage paragraph from the retention rules, in the column's language (Art. 13 sheet).
PLACEHOLDERS = ("organisation", "navigator", "contact", "retention")
_BRACES = re.compile(r"\{([^{}]*)\}")
MAX_TEXT = 4000


@dataclass(frozen=True)
class Block:
    kind: str
    text: str = ""
    items: tuple[str, ...] = ()


@dataclass(frozen=True)
class HandoutText:
    topic: str
    language: str
    title: str
    reviewed: bool
    blocks: tuple[Block, ...]

    def strings(self) -> list[str]:
        """Every piece of text in the file (for glyph checks and extraction tests)."""
        out = [self.title]
        for block in self.blocks:
            out.extend([block.text] if block.kind != "bullets" else block.items)
        return [s for s in out if s]


@dataclass(frozen=True)
class Source:
    title: str
    url: str = ""


@dataclass(frozen=True)
class Topic:
    id: str
    order: int
    qr_url: str | None = None
    languages: tuple[str, ...] = field(default=())
    #: Where the facts come from, and the day the text states them as of (its facts can change).
    sources: tuple[Source, ...] = ()
    as_of: str = ""


def handouts_root() -> Path:
    from elternlotse.resources import project_path

    return project_path("resources", "handouts")


def _read_json(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise NotFoundError(N_("The handout file {path} does not exist."), path=str(path)) from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise ValidationError(N_("The handout file {path} is not valid JSON: {reason}."),
                              path=str(path), reason=str(error)) from None


def _check_text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(N_("{field}: expected a text that is not empty."), field=where)
    if len(value) > MAX_TEXT:
        raise ValidationError(N_("{field}: longer than {limit} characters."), field=where, limit=MAX_TEXT)
    for name in _BRACES.findall(value):
        if name not in PLACEHOLDERS:
            raise ValidationError(N_("{field}: unknown placeholder '{name}' (allowed: {allowed})."),
                                  field=where, name="{" + name + "}", allowed=", ".join(PLACEHOLDERS))
    return value.strip()


def parse_handout(data: Any, topic: str, language: str, where: str = "") -> HandoutText:
    """Validate one language file on its own (alignment is checked against German separately)."""
    where = where or f"{topic}/{language}.json"
    if not isinstance(data, dict):
        raise ValidationError(N_("{field}: expected an object."), field=where)
    unknown = sorted(set(data) - {"title", "reviewed", "blocks"})
    if unknown:
        raise ValidationError(N_("{field}: unknown field '{name}'."), field=where, name=unknown[0])
    title = _check_text(data.get("title"), f"{where}: title")
    reviewed = data.get("reviewed", False)
    if not isinstance(reviewed, bool):
        raise ValidationError(N_("{field}: expected true or false."), field=f"{where}: reviewed")
    raw_blocks = data.get("blocks")
    if not isinstance(raw_blocks, list) or not raw_blocks:
        raise ValidationError(N_("{field}: expected a list of blocks."), field=f"{where}: blocks")
    blocks = []
    for i, raw in enumerate(raw_blocks):
        spot = f"{where}: block {i + 1}"
        if not isinstance(raw, dict):
            raise ValidationError(N_("{field}: expected an object."), field=spot)
        kind = raw.get("kind")
        if kind not in BLOCK_KINDS:
            raise ValidationError(N_("{field}: unknown kind '{kind}' (one of: {allowed})."),
                                  field=spot, kind=str(kind), allowed=", ".join(BLOCK_KINDS))
        if kind == "bullets":
            if set(raw) - {"kind", "items"}:
                raise ValidationError(N_("{field}: a bullets block has only 'items'."), field=spot)
            items = raw.get("items")
            if not isinstance(items, list) or not items:
                raise ValidationError(N_("{field}: expected a list of items."), field=spot)
            blocks.append(Block(kind, items=tuple(_check_text(t, f"{spot}, item {j + 1}") for j, t in enumerate(items))))
        else:
            if set(raw) - {"kind", "text"}:
                raise ValidationError(N_("{field}: a {kind} block has only 'text'."), field=spot, kind=kind)
            blocks.append(Block(kind, text=_check_text(raw.get("text"), spot)))
    return HandoutText(topic, language, title, reviewed, tuple(blocks))


def check_aligned(text: HandoutText, source: HandoutText) -> None:
    """Refuse ``text`` unless its blocks match German's one by one."""
    where = f"{text.topic}/{text.language}.json"
    if len(text.blocks) != len(source.blocks):
        raise ValidationError(
            N_("{field}: has {count} blocks but German has {expected}; blocks must match German one by one."),
            field=where, count=len(text.blocks), expected=len(source.blocks))
    for i, (mine, theirs) in enumerate(zip(text.blocks, source.blocks, strict=True)):
        if mine.kind != theirs.kind:
            raise ValidationError(N_("{field}: block {number} is a {kind}, but in German it is a {expected}."),
                                  field=where, number=i + 1, kind=mine.kind, expected=theirs.kind)
        if len(mine.items) != len(theirs.items):
            raise ValidationError(N_("{field}: block {number} has {count} items, but in German it has {expected}."),
                                  field=where, number=i + 1, count=len(mine.items), expected=len(theirs.items))


class HandoutLibrary:
    """All topics and their language files under one folder (default: resources/handouts)."""

    def __init__(self, root: Path | None = None) -> None:
        self.root = Path(root) if root else handouts_root()

    # ------------------------------------------------------------ topics
    def topics(self) -> list[Topic]:
        # The cache is keyed on the modification times of topics.json and of the folders
        # (a folder's time changes when a language file is added or removed).
        stamp = (_mtime(self.root / "topics.json"),
                 *(_mtime(p) for p in sorted(self.root.iterdir()) if p.is_dir())) if self.root.is_dir() else ()
        return list(_topics(self.root, stamp))

    def topic(self, topic_id: str) -> Topic:
        for topic in self.topics():
            if topic.id == topic_id:
                return topic
        raise NotFoundError(N_("There is no handout '{topic}' (one of: {allowed})."),
                            topic=topic_id, allowed=", ".join(t.id for t in self.topics()))

    def languages(self, topic_id: str) -> list[str]:
        return list(self.topic(topic_id).languages)

    # ------------------------------------------------------------ texts
    def load(self, topic_id: str, language: str) -> HandoutText:
        topic = self.topic(topic_id)
        if language not in LANGUAGES:
            raise ValidationError(N_("'{language}' is not a handout language (one of: {allowed})."),
                                  language=language, allowed=", ".join(LANGUAGES))
        if language not in topic.languages:
            raise NotFoundError(N_("The handout '{topic}' is not written in '{language}' yet (available: {allowed})."),
                                topic=topic_id, language=language, allowed=", ".join(topic.languages))
        path = self.root / topic_id / f"{language}.json"
        return _load(path, topic_id, language, _mtime(path), _mtime(self.root / topic_id / f"{SOURCE_LANGUAGE}.json"))

    def review_table(self) -> list[dict[str, Any]]:
        """Topics x languages: ``{"topic", "qr_url", "languages": {lang: "reviewed"|"unreviewed"|"missing"}}``."""
        rows = []
        for topic in self.topics():
            states = {}
            for lang in LANGUAGES:
                if lang not in topic.languages:
                    states[lang] = "missing"
                else:
                    states[lang] = "reviewed" if self.load(topic.id, lang).reviewed else "unreviewed"
            row: dict[str, Any] = {"topic": topic.id, "qr_url": topic.qr_url, "languages": states}
            if topic.sources:
                row["sources"] = [{"title": src.title, "url": src.url} for src in topic.sources]
                row["as_of"] = topic.as_of
            rows.append(row)
        return rows

    def validate_all(self) -> list[HandoutText]:
        """Load every file; the first bad one raises."""
        return [self.load(t.id, lang) for t in self.topics() for lang in t.languages]


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


@lru_cache(maxsize=8)
def _topics(root: Path, _stamp: tuple) -> tuple[Topic, ...]:
    data = _read_json(root / "topics.json")
    if not isinstance(data, list):
        raise ValidationError(N_("{field}: expected a list of topics."), field="topics.json")
    topics = []
    seen: set[str] = set()
    for i, raw in enumerate(data):
        spot = f"topics.json: topic {i + 1}"
        if not isinstance(raw, dict) or not isinstance(raw.get("id"), str) or not re.fullmatch(r"[a-z0-9-]{1,60}", raw["id"]):
            raise ValidationError(N_("{field}: needs an 'id' of lower-case letters, digits and dashes."), field=spot)
        if raw["id"] in seen:
            raise ValidationError(N_("{field}: the id '{value}' is used twice."), field=spot, value=raw["id"])
        seen.add(raw["id"])
        url = raw.get("qr_url")
        if url is not None and (not isinstance(url, str) or not url.startswith("https://") or len(url) > 300):
            raise ValidationError(N_("{field}: qr_url must be an https:// address or null."), field=spot)
        unknown = sorted(set(raw) - {"id", "order", "qr_url", "sources", "as_of"})
        if unknown:
            raise ValidationError(N_("{field}: unknown field '{name}'."), field=spot, name=unknown[0])
        sources, as_of = _sources(raw, spot)
        order = raw.get("order", i + 1)
        if isinstance(order, bool) or not isinstance(order, int):
            raise ValidationError(N_("{field}: order must be a whole number."), field=spot)
        folder = root / raw["id"]
        languages = tuple(lang for lang in LANGUAGES if (folder / f"{lang}.json").is_file())
        if languages and SOURCE_LANGUAGE not in languages:
            raise ValidationError(N_("{field}: the German text {path} is missing."),
                                  field=spot, path=str(folder / f"{SOURCE_LANGUAGE}.json"))
        topics.append(Topic(raw["id"], order, url, languages, sources, as_of))
    topics.sort(key=lambda t: (t.order, t.id))
    return tuple(topics)


def _sources(raw: dict, spot: str) -> tuple[tuple[Source, ...], str]:
    """``sources``: a list of ``{"title", "url"}``; ``as_of``: the ISO date the facts are stated as of."""
    items = raw.get("sources", [])
    as_of = raw.get("as_of", "")
    if not isinstance(items, list) or len(items) > 20:
        raise ValidationError(N_("{field}: expected a list."), field=f"{spot}: sources")
    out = []
    for n, item in enumerate(items, start=1):
        where = f"{spot}: source {n}"
        if not isinstance(item, dict):
            raise ValidationError(N_("{field}: expected an object."), field=where)
        unknown = sorted(set(item) - {"title", "url"})
        if unknown:
            raise ValidationError(N_("{field}: unknown field '{name}'."), field=where, name=unknown[0])
        title = _check_text(item.get("title"), f"{where}: title")
        url = item.get("url", "")
        if url and (not isinstance(url, str) or not url.startswith("https://") or len(url) > 300):
            raise ValidationError(N_("{field}: qr_url must be an https:// address or null."), field=f"{where}: url")
        out.append(Source(title, url or ""))
    if out or as_of:
        try:
            date.fromisoformat(as_of)
        except (TypeError, ValueError):
            raise ValidationError(N_("{field}: '{value}' is not a date like 2026-08-01."),
                                  field=f"{spot}: as_of", value=str(as_of)) from None
    return tuple(out), as_of


@lru_cache(maxsize=512)
def _load(path: Path, topic: str, language: str, _stamp: float, _source_stamp: float) -> HandoutText:
    text = parse_handout(_read_json(path), topic, language)
    if language != SOURCE_LANGUAGE:
        source_path = path.with_name(f"{SOURCE_LANGUAGE}.json")
        source = _load(source_path, topic, SOURCE_LANGUAGE, _source_stamp, _source_stamp)
        check_aligned(text, source)
    return text


def fill_placeholders(text: str, values: dict[str, str], blank: str = "____________________") -> str:
    """Replace ``{organisation}``, ``{navigator}``, ``{contact}``, ``{retention}``; an empty value leaves a line to write on."""
    def replace(match: re.Match) -> str:
        name = match.group(1)
        if name not in PLACEHOLDERS:
            return match.group(0)
        return (values.get(name) or "").strip() or blank

    return _BRACES.sub(replace, text)
