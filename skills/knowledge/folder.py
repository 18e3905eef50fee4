"""One data folder, several processes: a server answering while ``assistant kb add`` writes.

A writer holds an exclusive ``flock`` on ``write.lock`` in the folder for its whole change, so
two processes never write the index, its vectors or the catalog at once, and it saves the
catalog last. A reader compares the catalog file's stamp before each question and re-reads
when it changed: the catalog is replaced atomically (:meth:`.catalog.Catalog._save`), so every
save is a new inode, and a stat costs microseconds.
"""

from __future__ import annotations

import asyncio
import fcntl
import os
from pathlib import Path
from types import TracebackType

__all__ = ["FolderLock", "Stamp", "stamp"]

#: What identifies one saved version of a file: inode, modification time (ns), size.
Stamp = tuple[int, int, int]

#: How often a writer waiting for another process's change tries the lock again.
_RETRY_S = 0.05


def stamp(path: Path) -> Stamp | None:
    """The stamp of ``path``, or None while it does not exist."""
    try:
        st = path.stat()
    except FileNotFoundError:
        return None
    return st.st_ino, st.st_mtime_ns, st.st_size


class FolderLock:
    """An exclusive lock on ``path`` shared by every process, held in an ``async with`` block.

    The lock is tried without blocking and retried, so a waiting task stays cancellable and no
    worker thread is left holding a lock nobody will release.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None

    async def __aenter__(self) -> FolderLock:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    await asyncio.sleep(_RETRY_S)
        except BaseException:
            os.close(fd)
            raise
        self._fd = fd
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                        tb: TracebackType | None) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
