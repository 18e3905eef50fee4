"""The shared backend: Redis, for several instances behind a load balancer.

Layout under ``lingxi:state:`` — one hash per home and kind (``<kind>:<home>``, field =
key, value = JSON of the value and ``due_at``), one sorted set per kind (``due:<kind>``,
member = ``[home, key]`` as JSON, score = ``due_at``) so any instance finds what is due
in every home, and claims as plain keys set with NX and an expiry (``claim:<name>``): an
instance that dies holding one lets another take the entry once it expires.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from domain.errors import StateUnavailable
from skills.state.store import Record, Records

_LOGGER = logging.getLogger(__name__)

KEY_PREFIX = "lingxi:state:"


def _decode(home_id: str, kind: str, key: str, raw: bytes | str) -> Record:
    stored = json.loads(raw)
    return Record(home_id, kind, key, stored["value"], stored["due_at"])


class RedisStore:
    def __init__(self, url: str, timeout_s: float = 1.0, prefix: str = KEY_PREFIX) -> None:
        self._prefix = prefix
        self._redis = aioredis.from_url(url, socket_timeout=timeout_s, socket_connect_timeout=timeout_s)

    def _hash(self, home_id: str, kind: str) -> str:
        return f"{self._prefix}{kind}:{home_id}"

    def _due_set(self, kind: str) -> str:
        return f"{self._prefix}due:{kind}"

    @asynccontextmanager
    async def _guard(self, action: str) -> AsyncIterator[None]:
        task = asyncio.current_task()
        cancels = task.cancelling() if task is not None else 0
        try:
            yield
        except RedisError as err:
            raise StateUnavailable("redis", f"cannot {action} state in redis: {err}") from err
        if task is not None and task.cancelling() > cancels:
            # redis 8.1 returns normally from a call cancelled while it connects; a stopped
            # scheduler or a closed stream would otherwise run on forever
            raise asyncio.CancelledError

    async def get(self, home_id: str, kind: str, key: str) -> Record | None:
        async with self._guard("read"):
            raw = await self._redis.hget(self._hash(home_id, kind), key)
        return _decode(home_id, kind, key, raw) if raw is not None else None

    async def put(self, record: Record) -> None:
        member = json.dumps([record.home_id, record.key])
        stored = json.dumps({"value": record.value, "due_at": record.due_at}, ensure_ascii=False)
        async with self._guard("write"):
            pipe = self._redis.pipeline(transaction=True)
            pipe.hset(self._hash(record.home_id, record.kind), record.key, stored)
            if record.due_at is None:
                pipe.zrem(self._due_set(record.kind), member)
            else:
                pipe.zadd(self._due_set(record.kind), {member: record.due_at})
            await pipe.execute()

    async def delete(self, home_id: str, kind: str, key: str) -> bool:
        async with self._guard("delete"):
            pipe = self._redis.pipeline(transaction=True)
            pipe.hdel(self._hash(home_id, kind), key)
            pipe.zrem(self._due_set(kind), json.dumps([home_id, key]))
            removed, _ = await pipe.execute()
        return bool(removed)

    async def list(self, home_id: str, kind: str) -> Records:
        async with self._guard("read"):
            found: dict[Any, Any] = await self._redis.hgetall(self._hash(home_id, kind))  # bytes: decode_responses is off
        return sorted((_decode(home_id, kind, k.decode(), v) for k, v in found.items()), key=lambda r: r.key)

    async def due(self, kinds: Sequence[str], until: float, limit: int = 100) -> Records:
        records: Records = []
        async with self._guard("read"):
            for kind in kinds:
                members: list[Any] = await self._redis.zrangebyscore(self._due_set(kind), "-inf", until, start=0, num=limit)
                for member in members:
                    record = await self._due_record(kind, member)
                    if record is None:
                        await self._redis.zrem(self._due_set(kind), member)
                    else:
                        records.append(record)
        return sorted(records, key=_due_key)[:limit]

    async def _due_record(self, kind: str, member: bytes) -> Record | None:
        """The entry a due-set member points at; None when it is gone or unreadable.

        One entry written by something else (or half-written) must not stop every home's timers: it is
        logged and dropped from the due set by the caller."""
        try:
            home_id, key = json.loads(member)
            raw = await self._redis.hget(self._hash(home_id, kind), key)
            if raw is None:  # deleted between the two reads by another instance
                return None
            return _decode(home_id, kind, key, raw)
        except (ValueError, TypeError, KeyError) as err:
            _LOGGER.warning("dropping an unreadable %s entry from the due set (%r): %s", kind, member[:80], err)
            return None

    async def next_due(self, kinds: Sequence[str]) -> float | None:
        soonest: list[float] = []
        async with self._guard("read"):
            for kind in kinds:
                first: list[Any] = await self._redis.zrange(self._due_set(kind), 0, 0, withscores=True)
                soonest.extend(score for _, score in first)
        return min(soonest, default=None)

    async def claim(self, name: str, ttl_s: float) -> bool:
        async with self._guard("claim"):
            taken = await self._redis.set(f"{self._prefix}claim:{name}", b"1", nx=True, px=max(1, int(ttl_s * 1000)))
        return bool(taken)

    async def close(self) -> None:
        await self._redis.aclose()


def _due_key(record: Record) -> float:
    return record.due_at if record.due_at is not None else float("inf")
