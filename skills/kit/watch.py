"""Noticing that skills were installed or removed, by polling (no file-notification dependency).

Every ``interval_s`` the watch takes a fingerprint — the modification times and sizes of the
skills folders' ``manifest.yaml``, ``skill.py`` and ``pyproject.toml`` (two levels down, where a
skill or a package's source keeps them), the ``site-packages`` folders of ``sys.path`` (a
``pip install`` or ``uninstall`` of a package with ``lingxi.skills`` entry points changes them) and
the reload marker that ``assistant skills reload`` writes — and reloads when it moved. Stat calls
only: a few milliseconds, in a worker thread.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path

_LOGGER = logging.getLogger(__name__)

#: Seconds between two looks at the folders.
INTERVAL_S = 2.0
#: The files whose changes mean a skill changed.
SKILL_FILES = ("manifest.yaml", "skill.py", "pyproject.toml")
_PATTERNS = tuple(f"{depth}{name}" for depth in ("", "*/", "*/*/") for name in SKILL_FILES)

Fingerprint = tuple[tuple[str, int, int], ...]


def _stat(path: Path) -> tuple[str, int, int] | None:
    try:
        st = path.stat()
    except OSError:  # removed between the listing and the look
        return None
    return str(path), st.st_mtime_ns, st.st_size


def fingerprint(folders: Iterable[str | Path], marker: Path) -> Fingerprint:
    """What the watch compares: the skill files of ``folders``, the package folders, the marker."""
    paths: list[Path] = [marker]
    for folder in (Path(f).expanduser() for f in folders):
        paths.extend(p for pattern in _PATTERNS for p in folder.glob(pattern))
    paths.extend(Path(p) for p in sys.path if p.endswith("-packages"))
    return tuple(sorted(s for s in map(_stat, paths) if s is not None))


class SkillWatch:
    """Calls ``on_change(marker_text)`` when the fingerprint of ``folders`` and ``marker`` moves."""

    def __init__(self, folders: Iterable[str | Path], marker: Path, on_change: Callable[[str], Awaitable[object]],
                 interval_s: float = INTERVAL_S) -> None:
        self._folders = tuple(folders)
        self._marker = marker
        self._on_change = on_change
        self._interval_s = interval_s
        self._task: asyncio.Task[None] | None = None

    def _look(self) -> tuple[Fingerprint, str]:
        try:
            request = self._marker.read_text(encoding="utf-8").strip()
        except OSError:
            request = ""
        return fingerprint(self._folders, self._marker), request

    async def _run(self, seen: Fingerprint) -> None:
        while True:
            await asyncio.sleep(self._interval_s)
            now, request = await asyncio.to_thread(self._look)
            if now == seen:
                continue
            seen = now
            try:
                await self._on_change(request)
            except Exception:  # a skill that cannot load is refused by discovery; this is anything else
                _LOGGER.exception("skills reload failed; the skills installed before keep serving")

    async def start(self) -> None:
        seen, _ = await asyncio.to_thread(self._look)
        self._task = asyncio.create_task(self._run(seen), name="skill-watch")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
