"""The content skill: play music, video and audio from the catalogue, and control the players.

Play requests either name something (search: :mod:`rank`) or describe it (recommendation:
:mod:`recommend`). What plays is written to the home's player store and play history, so
"下一首", "what's playing", "继续播放" and suggestions work per household across restarts.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from intents.types import Intent
from skills.sdk import ContentQuery, MediaDirective, SkillContext, SkillKind, SkillManifest, SkillResult

from . import speech
from .catalog import MediaItem, shipped_catalog_path
from .catalogs import CatalogStore
from .history import HistoryStore, Progress
from .places import Target, default_target, is_kids_room, named_target, place_names
from .player import EPISODIC, PlayerState
from .rank import find
from .recommend import describes, parse_constraints, recommend
from .request import MediaRequest, parse_request

_LOGGER = logging.getLogger(__name__)

#: An artist request queues this many of their songs.
ARTIST_QUEUE = 20


def _for_kids(item: MediaItem) -> bool:
    return item.audience == "kids" and not item.explicit


def _anyone(item: MediaItem) -> bool:
    return True


@dataclass(frozen=True)
class _Missed:
    """A named request no catalogue item matches confidently: the not-found ``answer``, and the
    ``query`` the content providers (skills/kit/provider.py) are asked before it is given."""

    answer: SkillResult
    query: ContentQuery
    target: Target


class ContentSkill:
    """media.play_music / play_video / play_audio / control / now_playing for every home."""

    manifest = SkillManifest(
        name="content",
        kind=SkillKind.CONTENT,
        intents=("media.play_music", "media.play_video", "media.play_audio", "media.control", "media.now_playing"),
        description="Songs, albums, films, series, stories, podcasts and radio from the media catalogue; players per home.",
    )

    def __init__(self, catalog: Path | None, data_dir: Path) -> None:
        """Load (and on first start index) ``catalog`` (default: the shipped one) and open ``data_dir``.

        Blocking; use :meth:`open` from async code.
        """
        self.catalogs = CatalogStore(catalog or shipped_catalog_path(), data_dir)
        self.history = HistoryStore(data_dir / "content.sqlite3")

    @classmethod
    async def open(cls, catalog: Path | None, data_dir: Path) -> ContentSkill:
        return await asyncio.to_thread(cls, catalog, data_dir)

    async def import_catalog(self, path: Path, scope: str) -> int:
        """Add or replace an operator's (``operator``) or a home's (``home:<id>``) catalogue."""
        return await asyncio.to_thread(self.catalogs.import_catalog, path, scope)

    def close(self) -> None:
        self.history.close()

    async def reset_home(self, home_id: str) -> None:
        """Forget what a home played and where its players were (evaluation, between sessions)."""
        await asyncio.to_thread(self.history.forget, home_id)

    async def handle(self, intent: Intent, ctx: SkillContext) -> SkillResult:
        outcome = await asyncio.to_thread(self._handle, intent, ctx)
        if not isinstance(outcome, _Missed):
            return outcome
        provided = await ctx.providers(outcome.query, ctx) if ctx.providers is not None else None
        if provided is None:
            return outcome.answer
        return await asyncio.to_thread(self._play_provided, provided.media, outcome.target, ctx)

    # -- blocking work, run in a thread ------------------------------------------------------

    def _handle(self, intent: Intent, ctx: SkillContext) -> SkillResult | _Missed:
        if intent.name == "media.control":
            return self._control(str(intent.slots.get("action") or ""), intent.text, ctx)
        if intent.name == "media.now_playing":
            return self._now_playing(ctx)
        request = parse_request(intent.name, dict(intent.slots), intent.text, place_names(ctx.home))
        video = request.family == "video"
        target = named_target(ctx.home, intent.text, video, ctx.lang)
        if request.pronoun or (target and not (request.title or request.artist) and not intent.slots):
            return self._move(target or default_target(ctx.home, ctx.speaker_id, ctx.speaker_room, video, ctx.lang), ctx)
        target = target or default_target(ctx.home, ctx.speaker_id, ctx.speaker_room, video, ctx.lang)
        if not (request.title or request.artist):
            if request.resume or request.next_episode:
                return self._resume_last(target, ctx)
            return self._recommend(request, intent, target, ctx)
        result = self._search(request, target, ctx)
        answer = result.answer if isinstance(result, _Missed) else result
        if answer.media is None and describes(f"{request.artist} {request.title}"):
            # "play something to focus", "the news radio": words the understanding read as a title describe instead.
            return self._recommend(request, intent, target, ctx)
        return result

    def _play_provided(self, media: MediaDirective, target: Target, ctx: SkillContext) -> SkillResult:
        """A content provider's item plays as a catalogue item would, so "暂停" and "what's playing" know it."""
        self.history.save_provided(ctx.home.id, media)
        return self._play(_as_item(media), target, ctx)

    def _item(self, item_id: str, home: str) -> MediaItem | None:
        """The catalogue's item, else the one a content provider played in this home."""
        item = self.catalogs.item(item_id, home)
        if item is None and (media := self.history.provided(home, item_id)) is not None:
            return _as_item(media)
        return item

    @staticmethod
    def _slots(intent: Intent) -> dict[str, str]:
        return {k: str(v) for k, v in intent.slots.items()}

    def _allowed(self, ctx: SkillContext) -> Callable[[MediaItem], bool]:
        return _for_kids if is_kids_room(ctx.home, ctx.speaker_room) else _anyone

    def _artist(self, item: MediaItem, lang: str, home: str) -> str:
        """The main artist as the listener would say it (周杰伦 / Jay Chou)."""
        if not item.artist:
            return ""
        if lang == "en":
            for library in self.catalogs.visible(home):
                person = library.artist_item(item.artist[0])
                if person:
                    return speech.title(person, "en")
        return item.artist[0]

    def _search(self, request: MediaRequest, target: Target, ctx: SkillContext) -> SkillResult | _Missed:
        home = ctx.home.id
        found = find(request, self.catalogs.visible(home), self._allowed(ctx))
        asked = request.title or request.artist
        if found.best is None:
            if found.withheld:
                return SkillResult(speech.withheld(f"《{found.withheld.item.title}》" if ctx.lang == "zh" else asked, ctx.lang))
            offer = found.closest.item if found.closest else None
            said = speech.work(offer, self._artist(offer, ctx.lang, home), ctx.lang) if offer else ""
            _LOGGER.info("Media not found: %r (closest %s)", asked, offer.id if offer else None)
            query = ContentQuery(request.family, request.title, request.artist, request.kind or "", request.text, ctx.lang)
            return _Missed(SkillResult(speech.not_found(asked, said, ctx.lang)), query, target)
        item = found.best.item
        episode = request.episode
        if item.kind in EPISODIC:
            if episode and item.episodes and episode > item.episodes:
                return SkillResult(speech.no_such_episode(speech.title(item, ctx.lang), item.episodes, ctx.lang))
            if episode is None and (request.resume or request.next_episode):
                return self._play(item, target, ctx, resume=True, step=int(request.next_episode))
        return self._play(item, target, ctx, episode=episode, resume=request.resume)

    def _recommend(self, request: MediaRequest, intent: Intent, target: Target, ctx: SkillContext) -> SkillResult:
        home = ctx.home.id
        constraints = parse_constraints(intent.text, request.family, self._slots(intent))
        queued = [i for player in self.history.players(home) for i in player.queue]
        picks = recommend(self.catalogs.items(home), constraints, self.history.recent(home), queued, self._allowed(ctx))
        if not picks:
            return SkillResult(speech.nothing_fits(ctx.lang))
        first = picks[0]
        if first.kind == "song":
            state = PlayerState(target.device, tuple(p.id for p in picks), 0, since=ctx.now.timestamp())
            return self._start(state, first, None, target, ctx)
        return self._play(first, target, ctx)

    def _queue(self, item: MediaItem, home: str) -> tuple[str, ...]:
        if item.kind in ("album", "playlist"):
            listed = tuple(t for t in item.tracks if self.catalogs.item(t, home))
            found = listed or next((tuple(s) for lib in self.catalogs.visible(home) if (s := lib.album_songs(item))), ())
            return found or (item.id,)
        if item.kind == "artist" and item.artist:
            for library in self.catalogs.visible(home):
                songs = [w.id for w in library.works(item.artist[0]) if w.kind == "song" and w.version == "original"]
                if songs:
                    return tuple(songs[:ARTIST_QUEUE])
        return (item.id,)

    def _play(self, item: MediaItem, target: Target, ctx: SkillContext, episode: int | None = None,
              resume: bool = False, step: int = 0) -> SkillResult:
        """Start ``item`` (an album or artist as its queue) on ``target``; ``resume`` picks up this home's place."""
        now = ctx.now.timestamp()
        position = 0.0
        if resume:
            progress = self.history.progress(ctx.home.id, item.id)
            if progress:
                episode = episode or ((progress.episode or 1) + step if item.kind in EPISODIC else None)
                position = progress.position_s if not step else 0.0
        if item.kind in EPISODIC:
            episode = min(episode or 1, item.episodes or episode or 1)
        queue = self._queue(item, ctx.home.id)
        source = item.id if queue != (item.id,) else ""
        state = PlayerState(target.device, queue, 0, source, episode, position, "playing", now)
        return self._start(state, item, item, target, ctx, resumed=(resume and position > 0) or bool(step))

    def _start(self, state: PlayerState, said: MediaItem, headline: MediaItem | None, target: Target,
               ctx: SkillContext, resumed: bool = False) -> SkillResult:
        """Save and announce a new playback; ``headline`` is what the answer names (the album, not its track)."""
        home = ctx.home.id
        self._save(home, state)
        if state.source:
            self.history.record_play(home, state.source, state.device, state.since)
        self.history.record_play(home, state.current, state.device, state.since)
        text = speech.playing(said, self._artist(said, ctx.lang, home), state.episode, target.spoken, ctx.lang, resumed)
        return SkillResult(text, media=self._directive(state, home, headline))

    def _save(self, home: str, state: PlayerState) -> None:
        self.history.save_player(home, state)
        item = self._item(state.current, home)
        if item and (item.kind in EPISODIC or item.kind == "movie"):
            position = state.position(state.since, item.duration_s)
            self.history.save_progress(home, Progress(item.id, state.episode, position, state.since))

    def _directive(self, state: PlayerState, home: str, headline: MediaItem | None = None) -> MediaDirective:
        """The player's state as the device is told it: a fresh album play names the album and all its tracks."""
        current = self._item(state.current, home)
        item: MediaItem | None
        if headline is not None and state.source and headline.id == state.source:
            item, queue = headline, state.queue
        else:
            item, queue = current, state.following
        position = round(state.position(state.since, current.duration_s if current else None), 1)
        if item is None:  # an import has since replaced the catalogue that had it
            return MediaDirective(id=state.current, kind="", title="", queue=queue, episode=state.episode,
                                  state=state.state, device=state.device, position_s=position)
        return MediaDirective(id=item.id, kind=item.kind, title=item.title, artist=item.artist, queue=queue,
                              episode=state.episode, state=state.state, device=state.device, position_s=position)

    def _player(self, ctx: SkillContext, text: str, live_only: bool = True) -> PlayerState | None:
        """The player a control request is for: the one named, the speaker's own, else the home's latest."""
        players = [p for p in self.history.players(ctx.home.id) if p.state != "stopped" or not live_only]
        named = named_target(ctx.home, text, False, ctx.lang)
        for wanted in ((named.device,) if named else (ctx.speaker_id,)):
            mine = next((p for p in players if p.device == wanted), None)
            if mine:
                return mine
        return None if named else (players[0] if players else None)

    def _control(self, action: str, text: str, ctx: SkillContext) -> SkillResult:
        home, now = ctx.home.id, ctx.now.timestamp()
        state = self._player(ctx, text)
        if state is None or (action == "resume" and state.state == "stopped"):
            return self._resume_last(default_target(ctx.home, ctx.speaker_id, ctx.speaker_room, False, ctx.lang), ctx) \
                if action == "resume" else SkillResult(speech.nothing_playing(ctx.lang))
        item = self._item(state.current, home)
        duration = item.duration_s if item else None
        if action in ("next", "previous"):
            step = 1 if action == "next" else -1
            moved = state.moved(step, item.episodes if item else None, bool(item and item.kind in EPISODIC), now)
            if moved is None:
                return SkillResult(speech.end_of_queue(step, ctx.lang), media=self._directive(state, home))
            self._save(home, moved)
            self.history.record_play(home, moved.current, moved.device, now)
            new = self._item(moved.current, home)
            text_ = speech.playing(new, self._artist(new, ctx.lang, home), moved.episode, "", ctx.lang) if new else ""
            return SkillResult(text_, media=self._directive(moved, home))
        if action == "pause":
            new_state, said = state.paused(now, duration), speech.paused(ctx.lang)
        elif action == "stop":
            new_state, said = state.stopped(now, duration), speech.stopped(ctx.lang)
        elif action == "resume" and item:
            new_state = state.resumed(now)
            said = speech.playing(item, self._artist(item, ctx.lang, home), state.episode, "", ctx.lang, resumed=True)
        else:
            return self._now_playing(ctx)
        self._save(home, new_state)
        return SkillResult(said, media=self._directive(new_state, home))

    def _now_playing(self, ctx: SkillContext) -> SkillResult:
        state = self._player(ctx, "")
        item = self._item(state.current, ctx.home.id) if state else None
        if state is None or item is None:
            return SkillResult(speech.nothing_playing(ctx.lang))
        what = speech.work(item, self._artist(item, ctx.lang, ctx.home.id), ctx.lang) + speech.episode_suffix(state.episode, ctx.lang)
        return SkillResult(speech.now_playing(what, state.state, ctx.lang), media=self._directive(state, ctx.home.id))

    def _resume_last(self, target: Target, ctx: SkillContext) -> SkillResult:
        """"继续播放" with nothing paused: whatever this household stopped last, on ``target``."""
        home, now = ctx.home.id, ctx.now.timestamp()
        last = next(iter(self.history.players(home)), None)
        progress = self.history.progress(home)
        if last is not None and (progress is None or last.since >= progress.at):
            current = self._item(last.current, home)
            if current is not None and self._allowed(ctx)(current):
                resumed = last.on(target.device, now, current.duration_s)
                self._save(home, resumed)
                said = speech.playing(current, self._artist(current, ctx.lang, home), resumed.episode, target.spoken,
                                      ctx.lang, resumed=True)
                return SkillResult(said, media=self._directive(resumed, home))
        item = self._item(progress.item, home) if progress else None
        if item is None or not self._allowed(ctx)(item):
            return SkillResult(speech.nothing_to_resume(ctx.lang))
        return self._play(item, target, ctx, resume=True)

    def _move(self, target: Target, ctx: SkillContext) -> SkillResult:
        """"Play it in the bedroom": the home's current playback carries on there."""
        now = ctx.now.timestamp()
        source = next((p for p in self.history.players(ctx.home.id) if p.state == "playing" and p.device != target.device), None)
        if source is None:
            return SkillResult(speech.nothing_playing(ctx.lang))
        item = self._item(source.current, ctx.home.id)
        duration = item.duration_s if item else None
        self.history.save_player(ctx.home.id, source.stopped(now, duration))
        moved = source.on(target.device, now, duration)
        self._save(ctx.home.id, moved)
        what = speech.work(item, self._artist(item, ctx.lang, ctx.home.id), ctx.lang) if item else ""
        return SkillResult(speech.moved(what, target.spoken or target.device, ctx.lang), media=self._directive(moved, ctx.home.id))



def _as_item(media: MediaDirective) -> MediaItem:
    """A provided item as the players keep it: what the provider said of it, for anyone (it plays in any room)."""
    return MediaItem(id=media.id, kind=media.kind, title=media.title or media.id, title_alt=(), artist=media.artist,
                     album=None, year=None, language="", genres=(), moods=(), audience="all", popularity=0,
                     duration_s=None, episodes=None, version="original", explicit=False)
