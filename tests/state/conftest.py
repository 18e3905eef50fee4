"""Each store test runs on every backend: SQLite in memory, SQLite in a folder, a real redis-server."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from skills.state import StateOptions
from testkit.redis_server import RedisServer


@pytest.fixture(scope="module")
def redis_server() -> Iterator[RedisServer]:
    server = RedisServer()
    server.start()
    try:
        yield server
    finally:
        server.cleanup()


@pytest.fixture(params=["sqlite-memory", "sqlite-file", "redis"])
def backend(request, tmp_path, redis_server) -> StateOptions:
    """Options for a fresh, empty store of each kind (Redis: flushed first)."""
    if request.param == "sqlite-memory":
        return StateOptions()
    if request.param == "sqlite-file":
        return StateOptions(data_dir=tmp_path)
    import redis

    redis.Redis.from_url(redis_server.url).flushdb()
    return StateOptions(redis_url=redis_server.url)


@pytest.fixture(params=["sqlite-file", "redis"])
def durable(request, tmp_path, redis_server) -> StateOptions:
    """Options for a store that outlives the process that wrote it."""
    if request.param == "sqlite-file":
        return StateOptions(data_dir=tmp_path)
    import redis

    redis.Redis.from_url(redis_server.url).flushdb()
    return StateOptions(redis_url=redis_server.url)
