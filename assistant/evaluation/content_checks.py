"""Spec v2 expectations of content and knowledge answers: what was played, what was cited, and honesty.

``expect.media`` names the item that must play (``{"id"}``, ``{"any_of": [...]}``) or constraints the
played item's catalogue row must satisfy (``kind``, ``language``, ``audience``, ``moods_any``,
``genres_any``); ``null`` means nothing may play. ``expect.citations_any`` lists documents of which
one must be cited. And whatever a case states, an answer to a built-in content or knowledge request
must play or cite something, or say honestly that nothing was found: "Sorry, I can't do that yet"
to "play some jazz" is a failure even when the intent was right.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Mapping, Sequence
from dataclasses import asdict
from functools import lru_cache
from pathlib import Path
from typing import Any

from assistant.pipeline.messages import Answer

_LOGGER = logging.getLogger(__name__)

#: Built-in intents whose answer is content (something played) or knowledge (something cited).
CONTENT_INTENTS = frozenset({"media.play_music", "media.play_video", "media.play_audio", "media.control",
                             "media.now_playing"})
KNOWLEDGE_INTENTS = frozenset({"kb.product_qa", "kb.general_qa"})

#: An honest "not found" (the content and knowledge skills' own wordings and their kin).
NOT_FOUND = re.compile(
    r"没有?找到|找不到|没有查到|查不到|没有(?:相关|符合|可以|在播放|这方面)|暂时没有|不知道|没有.{0,12}(?:资料|说明|内容|信息)"
    r"|不适合|(?:isn't|is not|not) suitable"
    r"|(?:couldn't|could not|can't|cannot|didn't|did not) find|no (?:\w+ ){0,3}(?:found|matches)|nothing (?:is )?"
    r"(?:playing|like that|to resume|found)|(?:don't|do not) (?:know|have)|there'?s nothing|not in the manual",
    re.IGNORECASE,
)
#: A refusal that serves nothing ("抱歉，这个我还不会", "Sorry, I can't help with that yet"): never honest enough.
APOLOGY = re.compile(r"还不会|不会这个|帮不了|没听懂|can'?t (?:help|do) (?:with )?(?:that|this)|not able to help"
                     r"|don'?t understand|say that another way", re.IGNORECASE)

_CONSTRAINTS = ("kind", "language", "audience")
_ANY_OF = (("moods_any", "moods"), ("genres_any", "genres"))


@lru_cache(maxsize=1)
def catalogue() -> Mapping[str, Mapping[str, Any]]:
    """The shipped media catalogue by id: through the content skill when it is installed, else its JSONL."""
    try:
        from skills.content.catalog import load_catalog, shipped_catalog_path
    except ImportError:
        path = Path(__file__).resolve().parents[2] / "skills" / "content" / "data" / "media.jsonl"
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        return {row["id"]: row for row in rows}
    return {item.id: asdict(item) for item in load_catalog(shipped_catalog_path())}


def _played(answer: Answer) -> str | None:
    """The id of the item the answer's media names: what plays, or the player's item after a pause or
    stop (``media.control`` answers carry the player's new state, spec v2)."""
    return answer.media.id if answer.media is not None else None


def media_failures(expected: Mapping[str, Any] | None, answer: Answer,
                   rows: Mapping[str, Mapping[str, Any]] | None = None) -> list[str]:
    """What ``answer`` breaks of one ``expect.media`` value."""
    played = _played(answer)
    if expected is None:  # nothing may play; a paused or stopped player's item plays nothing
        playing = answer.media is not None and answer.media.state == "playing"
        return [f"media: expected nothing to play, got {played}"] if playing else []
    if played is None:
        return [f"media: expected {dict(expected)}, nothing plays"]
    failures = []
    if "id" in expected and played != expected["id"]:
        failures.append(f"media: expected {expected['id']}, got {played}")
    if "any_of" in expected and played not in expected["any_of"]:
        failures.append(f"media: expected one of {list(expected['any_of'])}, got {played}")
    wanted = [k for k in (*_CONSTRAINTS, *(k for k, _ in _ANY_OF)) if k in expected]
    if not wanted:
        return failures
    row = (rows if rows is not None else catalogue()).get(played)
    if row is None:
        return [*failures, f"media: {played} is not in the catalogue"]
    for key in _CONSTRAINTS:
        if key in expected and row.get(key) != expected[key]:
            failures.append(f"media: {played} has {key} {row.get(key)!r}, expected {expected[key]!r}")
    for key, field in _ANY_OF:
        if key in expected and not set(expected[key]) & set(row.get(field) or ()):
            failures.append(f"media: {played} has {field} {list(row.get(field) or ())}, expected one of {expected[key]}")
    return failures


def citation_failures(expected: Sequence[str], answer: Answer) -> list[str]:
    """``expect.citations_any``: at least one of these documents is cited."""
    cited = [c.doc for c in answer.citations]
    if set(expected) & set(cited):
        return []
    return [f"citations: none of {list(expected)} cited, got {cited}"]


def honesty_failures(intents: Sequence[str], answer: Answer) -> list[str]:
    """A content or knowledge request answered with neither an item, a source, nor an honest "not found"."""
    if not set(intents) & (CONTENT_INTENTS | KNOWLEDGE_INTENTS):
        return []
    if answer.media is not None or answer.citations:
        return []
    speech = answer.speech or ""
    if NOT_FOUND.search(speech) and not APOLOGY.search(speech):
        return []
    return [f"honesty: a content/knowledge answer that plays, cites and finds nothing: {speech!r}"]


def unknown_failures(answer: Answer) -> list[str]:
    """``expect.honest_unknown``: the answer says it does not know (or found nothing), and cites nothing."""
    speech = answer.speech or ""
    failures = [f"honest_unknown: cited {[c.doc for c in answer.citations]} for what is not known"] if answer.citations else []
    if not NOT_FOUND.search(speech) or APOLOGY.search(speech):
        failures.append(f"honest_unknown: the answer does not say it does not know: {speech!r}")
    return failures
