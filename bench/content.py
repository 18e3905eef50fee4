"""Content search and recommendation: accuracy and latency at 2.5 k and 100 k catalogue items.

* ``exact``: every original item of the catalogue asked for by its title (songs and albums with
  their main artist, other kinds with the intent of their family): top-1 = that id.
* ``slips``: the same requests with one generated slip: a Chinese character swapped for a
  homophone, the title in traditional characters, an English letter dropped/swapped/replaced.
* ``vague``: the requests of ``bench/content_vague.jsonl``: every item played (first and queued)
  must satisfy every constraint the case states.
* latency: the search path (request parsing + index + rerank) per query, p50/p95, at the shipped
  catalogue and at 100 k items (the shipped rows plus perturbed copies with new ids, titles and
  artists); the 100 k accuracy is measured on the real rows among the synthetic ones.
"""

from __future__ import annotations

import asyncio
import json
import random
import statistics
import time
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

from hanziconv import HanziConv
from pypinyin import lazy_pinyin

from skills.content.catalog import MediaItem, load_catalog, shipped_catalog_path
from skills.content.library import Library
from skills.content.rank import find
from skills.content.recommend import parse_constraints, recommend
from skills.content.request import parse_request

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
SYNTHETIC_SIZE = 100_000
_INTENT = {"song": "media.play_music", "album": "media.play_music", "artist": "media.play_music", "playlist": "media.play_music",
           "movie": "media.play_video", "series": "media.play_video", "cartoon": "media.play_video"}


def _anyone(item: MediaItem) -> bool:
    return True


def _request(item: MediaItem, title: str, artist: str) -> tuple[str, dict[str, str]]:
    intent = _INTENT.get(item.kind, "media.play_audio")
    if item.kind == "artist":
        return intent, {"artist": title}
    slots = {"song" if intent == "media.play_music" else "title": title}
    if artist and item.kind in ("song", "album"):
        slots["artist"] = artist
    if intent != "media.play_music":
        slots["kind"] = item.kind
    return intent, slots


def _text(item: MediaItem, slots: dict[str, str]) -> str:
    """What the person says around the title: albums and playlists are asked for as such."""
    if item.kind in ("album", "playlist"):
        return f"play the {item.kind} {slots['song']}"
    return ""


def _homophones(items: list[MediaItem]) -> dict[str, list[str]]:
    by_sound: dict[str, set[str]] = defaultdict(set)
    for item in items:
        for ch in item.title:
            if "\u4e00" <= ch <= "\u9fff":
                by_sound[lazy_pinyin(ch)[0]].add(ch)
    return {ch: sorted(chars - {ch}) for chars in by_sound.values() for ch in chars if len(chars) > 1}


def _slip(title: str, rng: random.Random, homophones: dict[str, list[str]]) -> str | None:
    """One ASR-like or typing slip of ``title``, or ``None`` when none applies."""
    swappable = [i for i, ch in enumerate(title) if ch in homophones]
    if swappable:
        if rng.random() < 0.25 and HanziConv.toTraditional(title) != title:
            return HanziConv.toTraditional(title)
        i = rng.choice(swappable)
        return title[:i] + rng.choice(homophones[title[i]]) + title[i + 1:]
    words = [i for i, w in enumerate(title.split()) if w.isalpha() and len(w) >= 5]
    if not words:
        return None
    parts = title.split()
    i = rng.choice(words)
    word = parts[i]
    j = rng.randrange(1, len(word) - 1)
    edit = rng.choice(("drop", "swap", "replace"))
    if edit == "drop":
        word = word[:j] + word[j + 1:]
    elif edit == "swap":
        word = word[:j - 1] + word[j] + word[j - 1] + word[j + 1:]
    else:
        word = word[:j] + rng.choice("aeiourstnl".replace(word[j].lower(), "")) + word[j + 1:]
    parts[i] = word
    return " ".join(parts)


def _accuracy(library: Library, cases: list[tuple[MediaItem, str, str]]) -> tuple[float, list[float], list[str]]:
    hits, times, misses = 0, [], []
    for item, title, artist in cases:
        intent, slots = _request(item, title, artist)
        started = time.perf_counter()
        request = parse_request(intent, slots, _text(item, slots), ())
        found = find(request, [library], _anyone)
        times.append((time.perf_counter() - started) * 1000)
        if found.best is not None and found.best.item.id == item.id:
            hits += 1
        elif len(misses) < 15:
            misses.append(f"{slots} -> {found.best.item.id if found.best else None} (want {item.id})")
    return hits / len(cases), times, misses


def _cases(items: list[MediaItem], rng: random.Random) -> tuple[list, list]:
    originals = [i for i in items if i.version == "original"]
    exact = [(i, i.title, i.artist[0] if i.artist else "") for i in originals]
    homophones = _homophones(items)
    slips = []
    for item, title, artist in exact:
        slipped = _slip(title, rng, homophones)
        if slipped and slipped != title:
            slips.append((item, slipped, artist))
    return exact, slips


def _synthesise(items: list[MediaItem], size: int, rng: random.Random) -> list[MediaItem]:
    """``items`` plus perturbed copies: new ids, titles recombined from catalogue words, new artists."""
    zh_chars = [ch for i in items for ch in i.title if "\u4e00" <= ch <= "\u9fff"]
    en_words = [w for i in items if i.title.isascii() for w in i.title.split() if w.isalpha()]
    artists = [f"{rng.choice(zh_chars)}{rng.choice(zh_chars)}{rng.choice(zh_chars)}" if n % 2 else
               f"{rng.choice(en_words)} {rng.choice(en_words)}" for n in range(size // 20)]
    out = list(items)
    n = 0
    while len(out) < size:
        base = items[n % len(items)]
        n += 1
        if any("\u4e00" <= ch <= "\u9fff" for ch in base.title):
            title = "".join(rng.choice(zh_chars) for _ in range(rng.randint(2, 6)))
        else:
            title = " ".join(rng.choice(en_words) for _ in range(rng.randint(1, 4)))
        out.append(replace(base, id=f"{base.id}-syn{n}", title=title, title_alt=(), artist=(rng.choice(artists),),
                           tracks=(), version_of=None, popularity=rng.randint(0, 60)))
    return out


def _pcts(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {"n": len(ordered), "p50_ms": round(statistics.median(ordered), 2),
            "p95_ms": round(ordered[int(0.95 * (len(ordered) - 1))], 2)}


def _vague(library: Library) -> dict:
    cases = [json.loads(line) for line in (HERE / "content_vague.jsonl").read_text(encoding="utf-8").splitlines() if line]
    satisfied, failures = 0, []
    for case in cases:
        constraints = parse_constraints(case["text"], case["family"], case.get("slots", {}))
        kids = case.get("kids", False)
        picks = recommend(library.items, constraints, [], [], (lambda i: i.audience == "kids") if kids else _anyone)
        want = case["expect"]

        def fits(item: MediaItem, want: dict = want) -> bool:
            return ((not want.get("kind") or item.kind == want["kind"])
                    and (not want.get("language") or item.language == want["language"])
                    and (not want.get("audience") or item.audience == want["audience"])
                    and (not want.get("moods_any") or bool(set(want["moods_any"]) & set(item.moods)))
                    and (not want.get("genres_any") or bool(set(want["genres_any"]) & set(item.genres)))
                    and (not want.get("years") or (item.year is not None and want["years"][0] <= item.year <= want["years"][1]))
                    and not item.adult)

        if picks and all(fits(p) for p in picks):
            satisfied += 1
        else:
            failures.append(case["text"])
    return {"cases": len(cases), "satisfied": round(satisfied / len(cases), 3), "failures": failures}


async def run() -> dict:
    rng = random.Random(7)
    items = load_catalog(shipped_catalog_path())
    exact, slips = _cases(items, rng)
    results: dict = {}
    started = time.perf_counter()
    small = await asyncio.to_thread(Library, items)
    results["index_build_s_2_5k"] = round(time.perf_counter() - started, 2)
    top1, times, misses = await asyncio.to_thread(_accuracy, small, exact)
    results["exact"] = {"cases": len(exact), "top1": round(top1, 4), "misses": misses, **_pcts(times)}
    top1, times_slip, misses = await asyncio.to_thread(_accuracy, small, slips)
    results["slips"] = {"cases": len(slips), "top1": round(top1, 4), "misses": misses, **_pcts(times_slip)}
    results["latency_2_5k"] = _pcts(times + times_slip)
    results["vague"] = await asyncio.to_thread(_vague, small)
    big_items = _synthesise(items, SYNTHETIC_SIZE, rng)
    started = time.perf_counter()
    big = await asyncio.to_thread(Library, big_items)
    results["index_build_s_100k"] = round(time.perf_counter() - started, 1)
    top1, times, _ = await asyncio.to_thread(_accuracy, big, exact)
    top1_slip, times_slip, misses = await asyncio.to_thread(_accuracy, big, slips)
    results["at_100k"] = {"items": len(big_items), "exact_top1": round(top1, 4), "slips_top1": round(top1_slip, 4),
                          "slip_misses": misses[:8], **_pcts(times + times_slip)}
    return results


def main() -> None:
    results = asyncio.run(run())
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "content.json").write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    print(json.dumps(results, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
