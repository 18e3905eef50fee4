"""A player's state (a speaker or a TV) and the moves media.control makes on it.

The assistant never hears back from the player, so the position is the time it has been
playing by the request clock, kept when paused, capped at the item's length.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

#: Kinds that play numbered episodes (or chapters) rather than a queue of items.
EPISODIC = frozenset({"series", "cartoon", "audiobook", "podcast"})


@dataclass(frozen=True)
class PlayerState:
    """What one player of a home is doing.

    ``queue`` is every id it plays in order and ``index`` the current one; ``source`` the album,
    playlist or artist the queue came from (``""`` for a single item); ``episode`` the 1-based
    episode of an episodic item; ``position_s`` the position at ``since`` (epoch seconds of the
    request clock); ``state`` ``playing``, ``paused`` or ``stopped``.
    """

    device: str
    queue: tuple[str, ...]
    index: int
    source: str = ""
    episode: int | None = None
    position_s: float = 0.0
    state: str = "playing"
    since: float = 0.0

    @property
    def current(self) -> str:
        return self.queue[self.index]

    @property
    def following(self) -> tuple[str, ...]:
        return self.queue[self.index + 1:]

    def position(self, now: float, duration_s: int | None) -> float:
        """Seconds into the current item at ``now``."""
        played = self.position_s + (max(0.0, now - self.since) if self.state == "playing" else 0.0)
        return min(played, float(duration_s)) if duration_s else played

    def paused(self, now: float, duration_s: int | None) -> PlayerState:
        return replace(self, state="paused", position_s=self.position(now, duration_s), since=now)

    def resumed(self, now: float) -> PlayerState:
        return replace(self, state="playing", since=now)

    def stopped(self, now: float, duration_s: int | None) -> PlayerState:
        return replace(self, state="stopped", position_s=self.position(now, duration_s), since=now)

    def moved(self, step: int, episodes: int | None, episodic: bool, now: float) -> PlayerState | None:
        """The next (``step`` 1) or previous (-1) episode or item; ``None`` past either end."""
        if episodic and self.episode is not None:
            episode = self.episode + step
            if episode < 1 or (episodes is not None and episode > episodes):
                return None
            return replace(self, episode=episode, position_s=0.0, state="playing", since=now)
        index = self.index + step
        if not 0 <= index < len(self.queue):
            return None
        return replace(self, index=index, episode=None, position_s=0.0, state="playing", since=now)

    def on(self, device: str, now: float, duration_s: int | None) -> PlayerState:
        """The same playback carried on by another player."""
        return replace(self, device=device, position_s=self.position(now, duration_s), state="playing", since=now)
