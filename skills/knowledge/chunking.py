"""Splitting a document into units of answer, each knowing where it sits.

A unit is what one answer speaks: a list item, a paragraph, a question with its answer (the
FAQ's ``**问：…**`` / ``答：…`` pairs, or a bold line and the paragraph under it), or one table
row with its column headers. Every unit keeps the heading path of its section (``5 使用说明 >
5.2 吸力档位``); the document keeps its product, models, language and the device ids its title
names (``（设备：robot_vacuum）`` / ``(devices: a = CL-600, b)``). Plain text splits into
paragraphs, a PDF into paragraphs per page (the page is the section).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .documents import SourceText

__all__ = ["Chunk", "DocumentMeta", "chunk_source", "document_meta", "error_codes", "passage_text"]

_HEADING = re.compile(r"^(#{1,6})\s+(.+?)\s*#*\s*$")
_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)、])\s+(.*)$")
_TABLE_RULE = re.compile(r"^\|?\s*:?-{2,}")
_BOLD_LINE = re.compile(r"^\*\*(.+?)\*\*\s*$")
_DEVICES = re.compile(r"[（(]\s*(?:设备|devices?)\s*[：:]\s*([^)）]+)[)）]", re.IGNORECASE)
_DEVICE_ID = re.compile(r"[a-z][a-z0-9_]*")
_MODEL = re.compile(r"(?<![A-Za-z0-9])[A-Z]{1,4}\d{0,4}(?:-[A-Z0-9]+)+(?![A-Za-z0-9])|(?<![A-Za-z0-9-])[A-Z]{1,3}\d{1,3}(?![A-Za-z0-9-])")
_TITLE_NOISE = re.compile(r"\s*(?:使用说明书|[—-]+\s*User Manual|User Manual)\s*", re.IGNORECASE)
#: Fault codes as manuals print them: E1, F0, H1 (a letter and one or two digits).
_CODE = re.compile(r"(?<![A-Za-z0-9])([EFH]\d{1,2})(?![A-Za-z0-9])", re.IGNORECASE)
_SENTENCE_END = re.compile(r"(?<=[。！？；!?;])|(?<=[.!?])\s+")
_MAX_UNIT = 400


@dataclass(frozen=True)
class DocumentMeta:
    """What a document is about.

    ``title`` is its first heading (or first line); ``product`` the title without "使用说明书" /
    "User Manual" and the device list; ``models`` the model numbers named in the title and the
    model line; ``lang`` ``zh`` or ``en``; ``devices`` the device ids the title names.
    """

    title: str
    product: str
    models: tuple[str, ...]
    lang: str
    devices: tuple[str, ...]


@dataclass(frozen=True)
class Chunk:
    """One unit of answer.

    ``section`` is the heading path below the title (the title itself for text before the
    first section); ``kind`` is ``item``, ``paragraph``, ``faq`` or ``row``; ``text`` is the
    unit as written (a row as ``header: cell; …``); ``cells`` holds a row's (header, cell) pairs.
    """

    section: str
    kind: str
    text: str
    cells: tuple[tuple[str, str], ...] = ()


def error_codes(text: str) -> tuple[str, ...]:
    """The fault codes ``text`` names, upper case, in order of appearance."""
    return tuple(dict.fromkeys(m.group(1).upper() for m in _CODE.finditer(text)))


def _language(text: str) -> str:
    cjk = sum(1 for ch in text if "\u4e00" <= ch <= "\u9fff")
    return "zh" if cjk * 4 >= len(text.strip()) * 0.25 else "en"


def document_meta(source: SourceText) -> DocumentMeta:
    """Title, product, models, language and devices of ``source``; a file named ``x.zh.md`` or
    ``x.en.md`` says its language, otherwise the share of Chinese characters decides."""
    lines = [ln.strip() for ln in source.text.splitlines() if ln.strip()]
    first = lines[0] if lines else source.name
    heading = _HEADING.match(first)
    title = heading.group(2) if heading else first
    devices_match = _DEVICES.search(title)
    devices = tuple(dict.fromkeys(_DEVICE_ID.match(part.strip()).group(0)  # type: ignore[union-attr]
                                  for part in re.split(r"[,，]", devices_match.group(1))
                                  if _DEVICE_ID.match(part.strip()))) if devices_match else ()
    product = _TITLE_NOISE.sub(" ", _DEVICES.sub("", title)).strip(" -—.。")
    model_line = next((ln for ln in lines[1:6] if re.match(r"^(?:型号|适用机型|Models?)\s*[：:]", ln)), "")
    models = tuple(dict.fromkeys(_MODEL.findall(title) + _MODEL.findall(model_line)))
    named = re.search(r"\.(zh|en)\.[^.]+$", source.name)
    lang = named.group(1) if named else _language(source.text[:4000])
    return DocumentMeta(title=title, product=product or title, models=models, lang=lang, devices=devices)


def _clean(text: str) -> str:
    return re.sub(r"\*\*(.+?)\*\*", r"\1", text).strip()


def _split_long(text: str) -> list[str]:
    """Keep units short enough to speak: a long paragraph becomes groups of whole sentences."""
    if len(text) <= _MAX_UNIT:
        return [text]
    groups: list[str] = []
    current = ""
    for sentence in filter(None, (s.strip() for s in _SENTENCE_END.split(text))):
        if current and len(current) + len(sentence) > _MAX_UNIT:
            groups.append(current)
            current = ""
        current = f"{current} {sentence}".strip() if current and current[-1] not in "。！？；" else current + sentence
    return groups + ([current] if current else [])


def _faq(section: str, question: str, answer: list[str]) -> Chunk:
    question = question.strip()
    answer_text = _clean(" ".join(answer))
    bare = re.sub(r"^(?:问|Q)\s*[：:]\s*", "", question)
    reply = re.sub(r"^(?:答|A)\s*[：:]\s*", "", answer_text)
    return Chunk(section, "faq", f"{question} {answer_text}", (("question", bare), ("answer", reply)))


def _cells(line: str) -> list[str]:
    return [_clean(c) for c in line.strip().strip("|").split("|")]


def _markdown_chunks(text: str, title: str) -> list[Chunk]:
    chunks: list[Chunk] = []
    path: list[tuple[int, str]] = []
    lines = text.splitlines()
    section = title
    i = 0
    while i < len(lines):
        line = lines[i].rstrip()
        stripped = line.strip()
        heading = _HEADING.match(stripped)
        if heading:
            level = len(heading.group(1))
            if level > 1:
                path = [p for p in path if p[0] < level] + [(level, _clean(heading.group(2)))]
                section = " > ".join(name for _, name in path)
            i += 1
        elif stripped.startswith("|"):
            block = []
            while i < len(lines) and lines[i].strip().startswith("|"):
                block.append(lines[i].strip())
                i += 1
            header = _cells(block[0])
            rows = [b for b in block[1:] if not _TABLE_RULE.match(b)]
            for row in rows:
                cells = tuple(zip(header, _cells(row)))
                chunks.append(Chunk(section, "row", "; ".join(f"{h}: {c}" for h, c in cells), cells))
        elif _ITEM.match(line):
            item = [_ITEM.match(line).group(1)]  # type: ignore[union-attr]
            i += 1
            while i < len(lines) and lines[i].startswith(("  ", "\t")) and lines[i].strip() and not _ITEM.match(lines[i]):
                item.append(lines[i].strip())
                i += 1
            chunks.extend(Chunk(section, "item", part) for part in _split_long(_clean(" ".join(item))))
        elif stripped:
            para = []
            while i < len(lines) and lines[i].strip() and not _HEADING.match(lines[i].strip()) \
                    and not lines[i].strip().startswith("|") and not _ITEM.match(lines[i]):
                para.append(lines[i].strip())
                i += 1
            bold = _BOLD_LINE.match(para[0])
            if bold and len(para) == 1:
                answer = []
                while i < len(lines) and not lines[i].strip():
                    i += 1
                while i < len(lines) and lines[i].strip() and not _HEADING.match(lines[i].strip()) \
                        and not _BOLD_LINE.match(lines[i].strip()) and not lines[i].strip().startswith("|"):
                    answer.append(lines[i].strip())
                    i += 1
                if answer:
                    chunks.append(_faq(section, bold.group(1), answer))
                    continue
            if bold and len(para) > 1:
                chunks.append(_faq(section, bold.group(1), para[1:]))
                continue
            joined = _clean(" ".join(para) if not any(_language(p) == "zh" for p in para) else "".join(para))
            chunks.extend(Chunk(section, "paragraph", part) for part in _split_long(joined))
        else:
            i += 1
    return [c for c in chunks if c.text and c.text != title]


def _text_chunks(text: str, section: str) -> list[Chunk]:
    paragraphs = [re.sub(r"\s*\n\s*", " ", p).strip() for p in re.split(r"\n\s*\n", text)]
    return [Chunk(section, "paragraph", part) for p in paragraphs if p for part in _split_long(p)]


def chunk_source(source: SourceText, meta: DocumentMeta) -> list[Chunk]:
    """Every unit of answer of ``source``, in document order."""
    if source.format == "markdown":
        return _markdown_chunks(source.text, meta.title)
    if source.format == "pdf":
        label = "第 {} 页" if meta.lang == "zh" else "page {}"
        return [c for n, page in enumerate(source.pages, start=1) for c in _text_chunks(page, label.format(n))]
    return _text_chunks(source.text, meta.title)


def passage_text(meta: DocumentMeta, chunk: Chunk) -> str:
    """What the encoder embeds for ``chunk``: the product and the section give a bare table row
    or list item the context it lacks on its own."""
    return f"{meta.product} — {chunk.section}: {chunk.text}"
