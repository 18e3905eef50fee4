"""Sessions in Redis, shared by every instance behind a load balancer.

Redis being down must not end a conversation: every session is also kept in this
process, and while Redis cannot be reached that copy serves (and is written back once
Redis answers again).
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


class RedisSessionStore:
    def __init__(self, url: str, ttl_s: float = 300.0, clock: Callable[[], float] = time.time, timeout_s: float = 0.25) -> None:
        self.ttl_s = ttl_s
        self._clock = clock
        self._redis = aioredis.from_url(url, socket_timeout=timeout_s, socket_connect_timeout=timeout_s)
        self._local = MemorySessionStore(ttl_s, clock)
        self._healthy = True

    def _trouble(self, action: str, err: RedisError) -> None:
        if self._healthy:
            _LOGGER.warning("redis unavailable while trying to %s sessions (%s); serving them from memory", action, err)
        self._healthy = False

    async def load(self, session_id: str, home_id: str) -> Session:
        try:
            raw = await self._redis.get(KEY_PREFIX + session_id)
        except RedisError as err:
            self._trouble("read", err)
            return await self._local.load(session_id, home_id)
        if not self._healthy:
            _LOGGER.info("redis is back")
            self._healthy = True
        session = Session.from_json(raw) if raw else None
        if session is None:  # written while Redis was away, perhaps
            return await self._local.load(session_id, home_id)
        return checked(session, session_id, home_id, self._clock(), self.ttl_s)

    async def save(self, session: Session) -> None:
        await self._local.save(session)
        stamped = await self._local.load(session.id, session.home_id)
        try:
            await self._redis.set(KEY_PREFIX + session.id, stamped.to_json(), ex=max(1, math.ceil(self.ttl_s)))
        except RedisError as err:
            self._trouble("write", err)

    async def close(self) -> None:
        await self._redis.aclose()
