"""Find the one item a play request names: index candidates, then a rerank in Python.

The match score (0..1) says how well the words fit an item (its title, and its artist when one
was said); small priors then order items the words fit equally: popularity, the original
recording over live/remix/伴奏/cover unless one was asked for, and the kinds of the intent.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from .catalog import AUDIO_KINDS, MUSIC_KINDS, VIDEO_KINDS, MediaItem
from .library import Library, NameMatch
from .request import MediaRequest
from .text import edit_ratio, has_cjk

#: A match this good plays; below it the request is "not found".
PLAY_AT = 0.74
#: A not-found answer offers the closest item only when it is at least this close.
OFFER_AT = 0.55
FAMILY_KINDS = {"music": MUSIC_KINDS, "video": VIDEO_KINDS, "audio": AUDIO_KINDS}
#: Share of the match score the title carries when an artist was named too.
TITLE_SHARE = 0.6
#: Candidates whose spelling is compared character by character (the rest keep the index score).
EDIT_CHECKED = 8


@dataclass(frozen=True)
class Ranked:
    """A candidate: ``match`` is how well the words fit (0..1), ``score`` adds the priors."""

    item: MediaItem
    match: float
    score: float


@dataclass(frozen=True)
class Found:
    """The outcome of a search: ``best`` to play (``None``: not found), ``closest`` to offer,
    ``withheld`` an item that matched but the listener may not have (a kids' speaker)."""

    best: Ranked | None
    closest: Ranked | None
    withheld: Ranked | None


def _refine(matches: list[NameMatch], query: str) -> dict[str, tuple[MediaItem, float]]:
    """Best match per item id; the top few Latin-script names get an edit-distance check."""
    out: dict[str, tuple[MediaItem, float]] = {}
    for n, m in enumerate(matches):
        score = m.score
        if n < EDIT_CHECKED and not m.exact and not has_cjk(query) and not has_cjk(m.name):
            score = max(score, 0.97 * edit_ratio(query, m.name))
        if m.item.id not in out or score > out[m.item.id][1]:
            out[m.item.id] = (m.item, score)
    return out


def _artist_fit(item: MediaItem, artists: dict[str, float]) -> float:
    return max((artists.get(a, 0.0) for a in item.artist), default=0.0)


def _whole(request: MediaRequest) -> str:
    """Both terms read as one title ("不能说的秘密" split as artist 不能说 + song 秘密; "Stand by Me")."""
    if has_cjk(request.artist + request.title):
        return f"{request.artist}的{request.title}"
    return f"{request.title} by {request.artist}"


def _matches(request: MediaRequest, library: Library) -> dict[str, tuple[MediaItem, float]]:
    """Item id -> (item, match) for everything the request's words could mean in one library."""
    title, artist = request.title, request.artist
    if title and artist:
        artists = library.artists(artist)
        found = {i: (item, TITLE_SHARE * s + (1 - TITLE_SHARE) * _artist_fit(item, artists))
                 for i, (item, s) in _refine(library.by_name(title), title).items()}
        for i, (item, s) in _refine(library.by_name(_whole(request)), _whole(request)).items():
            if s > found.get(i, (item, 0.0))[1]:
                found[i] = (item, s)
        return found
    if title:
        return _refine(library.by_name(title), title)
    # Only an artist ("周杰伦的歌", "some Adele"): the artist item, else their most popular works; the
    # name may also be a title the understanding took for an artist ("晴天的现场版").
    found = _refine(library.by_name(artist), artist)
    for canon, fit in library.artists(artist).items():
        for item in library.works(canon)[:20]:
            found.setdefault(item.id, (item, fit * 0.98))
    return found


def _prior(item: MediaItem, request: MediaRequest) -> float:
    prior = 0.08 * item.popularity / 100
    if request.version:
        prior += 0.05 if item.version == request.version else -0.2
    elif item.version != "original":
        prior -= 0.15
    if item.kind not in FAMILY_KINDS.get(request.family, MUSIC_KINDS):
        prior -= 0.12
    if request.kind and item.kind != request.kind:
        prior -= 0.06
    elif not request.kind and request.title and item.kind == "song":
        prior += 0.03  # a bare title is usually the song, not the album named after it
    if not request.title and request.artist and item.kind == "artist":
        prior += 0.03
    return prior


def rank(request: MediaRequest, libraries: Sequence[Library]) -> list[Ranked]:
    """Every candidate of the request, best first (a home's own catalogue shadows the others)."""
    matches: dict[str, tuple[MediaItem, float]] = {}
    for library in libraries:
        for item_id, pair in _matches(request, library).items():
            matches.setdefault(item_id, pair)
    ranked = [Ranked(item, match, match + _prior(item, request)) for item, match in matches.values()]
    return sorted(ranked, key=lambda r: (-r.score, r.item.id))


def find(request: MediaRequest, libraries: Sequence[Library], allowed: Callable[[MediaItem], bool]) -> Found:
    """The item to play, the closest to offer, or what was withheld from this listener."""
    ranked = rank(request, libraries)
    permitted = [r for r in ranked if allowed(r.item)]
    top = permitted[0] if permitted else None
    withheld = next((r for r in ranked if not allowed(r.item) and r.match >= PLAY_AT), None)
    if withheld and top and top.match >= withheld.match:
        withheld = None
    if top and top.match >= PLAY_AT:
        return Found(top, None, withheld)
    closest = top if top and top.match >= OFFER_AT else None
    return Found(None, closest, withheld)
