"""Sessions in Redis, shared by every instance behind a load balancer.

Redis being down must not end a conversation: every session this instance saves is also
kept in its own memory, and while Redis cannot be reached (refused, or stalled past
``timeout_s``) that copy serves. Whichever copy is newer wins — Redis's when another instance
has moved the session on, this instance's when it was saved while Redis was away (and then
it is written back to Redis on that load) — so a turn made during an outage, such as
cancelling a held unlock, is never undone by the older copy Redis still holds.

Writes are compare-and-set in one Lua script: a copy is stored only over an older version
(or, for :meth:`claim`, only over a version older than the one it writes), so a write that
reaches Redis late cannot replace a newer one.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from assistant.dialog.sessions import MemorySessionStore, Session, checked

_LOGGER = logging.getLogger(__name__)

KEY_PREFIX = "lingxi:session:"

# KEYS[1] the session; ARGV: its JSON, its version, the TTL in ms, "1" for strict (claim).
_STORE_IF_NEWER = """
local stored = redis.call('GET', KEYS[1])
if stored then
  local version = tonumber(cjson.decode(stored)['version']) or 0
  local new = tonumber(ARGV[2])
  if version > new or (ARGV[4] == '1' and version == new) then
    return 0
  end
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[3])
return 1
"""


class RedisSessionStore:
    def __init__(self, url: str, ttl_s: float = 300.0, clock: Callable[[], float] = time.time, timeout_s: float = 0.25) -> None:
        self.ttl_s = ttl_s
        self._clock = clock
        self._redis = aioredis.from_url(url, socket_timeout=timeout_s, socket_connect_timeout=timeout_s)
        self._store_if_newer = self._redis.register_script(_STORE_IF_NEWER)
        self._local = MemorySessionStore(ttl_s, clock)
        self._healthy = True

    def _trouble(self, action: str, err: RedisError) -> None:
        if self._healthy:
            _LOGGER.warning("redis unavailable while trying to %s sessions (%s); serving them from memory", action, err)
        self._healthy = False

    def _answered(self) -> None:
        if not self._healthy:
            _LOGGER.info("redis is back")
            self._healthy = True

    async def load(self, session_id: str, home_id: str, speaker_id: str) -> Session:
        local = self._local.peek(session_id)
        try:
            raw = await self._redis.get(KEY_PREFIX + session_id)
        except RedisError as err:
            self._trouble("read", err)
            return checked(local, session_id, home_id, speaker_id, self._clock(), self.ttl_s)
        self._answered()
        newest = Session.from_json(raw) if raw else None  # Redis's copy, unless this instance's is newer
        if local is not None and (newest is None or local.version > newest.version):
            await self._write(local, strict=False)  # saved while Redis was away: Redis catches up
            newest = local
        elif newest is not None:
            self._local.keep(newest)
        return checked(newest, session_id, home_id, speaker_id, self._clock(), self.ttl_s)

    async def save(self, session: Session) -> None:
        stored = self._local.put(session, strict=False)
        if stored is not None:
            await self._write(stored, strict=False)

    async def claim(self, session: Session) -> bool:
        stored = self._local.put(session, strict=True)
        if stored is None:  # another turn of this instance got there first
            return False
        written = await self._write(stored, strict=True)
        # None: Redis is away and this instance's copy decides; False: another instance got there first
        return written is not False

    async def _write(self, session: Session, strict: bool) -> bool | None:
        """Whether Redis stored ``session`` (``False``: it holds a newer copy); ``None`` when it cannot be reached."""
        try:
            stored = await self._store_if_newer(
                keys=[KEY_PREFIX + session.id],
                args=[session.to_json(), session.version, max(1, math.ceil(self.ttl_s * 1000)), int(strict)],
            )
        except RedisError as err:
            self._trouble("write", err)
            return None
        self._answered()
        return bool(stored)

    async def close(self) -> None:
        await self._redis.aclose()
