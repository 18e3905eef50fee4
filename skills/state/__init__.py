"""Durable state of the skills: one small async key-value interface, two backends.

SQLite in a data folder is the default (nothing to start, survives a restart); Redis,
when a URL is given, lets several instances behind a load balancer share the same
timers, alarms, volumes and pending notifications, with :meth:`StateStore.claim` so
exactly one of them fires each entry.
"""

from skills.state.redis_store import RedisStore
from skills.state.sqlite_store import SqliteStore
from skills.state.store import Record, StateOptions, StateStore

__all__ = ["Record", "RedisStore", "SqliteStore", "StateOptions", "StateStore", "open_store"]

#: The SQLite file inside ``StateOptions.data_dir``.
SQLITE_FILE = "state.sqlite3"


def open_store(options: StateOptions) -> StateStore:
    """The backend ``options`` name; nothing is connected until the first call."""
    if options.redis_url:
        return RedisStore(options.redis_url, options.timeout_s)
    return SqliteStore(options.data_dir / SQLITE_FILE if options.data_dir is not None else None)
