"""Finding third-party skills in-process and adding them to the registry.

Two sources: installed packages that declare a ``lingxi.skills`` entry point (its object is a
skill class or a factory called without arguments) and the folders of ``skills.folders`` — each
sub-folder with a ``manifest.yaml`` and a ``skill.py`` whose ``create()`` returns the skill, or
a package's source folder (a ``pyproject.toml`` declaring the entry point) not installed yet. Every
skill found is wrapped in :class:`~skills.kit.gate.GuardedSkill`. A skill that cannot load, or
whose intents are not prefixed with its own ``vendor.name`` or are served already, is refused
with a log line; the others and the built-in skills are not affected.
"""

from __future__ import annotations

import importlib.util
import logging
import re
import sys
import tomllib
from collections.abc import Callable, Iterable
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path
from typing import Any

from skills.kit.gate import GuardedSkill
from skills.kit.provider import Providers
from skills.sdk import ContentProvider, SetTimer, Skill, SkillRegistry

_LOGGER = logging.getLogger(__name__)

ENTRY_POINT_GROUP = "lingxi.skills"
#: ``vendor.name``: lower-case words joined by dots, at least two.
_SKILL_NAME = re.compile(r"[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)+")


def _made(obj: Any, where: str) -> Skill | None:
    skill = obj() if callable(obj) else obj
    if not isinstance(skill, (Skill, ContentProvider)):
        _LOGGER.error("skill from %s refused: %r has no manifest and handle() or find()", where, skill)
        return None
    return skill  # type: ignore[return-value]  # a provider only is installed as one (see install)


def from_entry_points(points: Iterable[EntryPoint] | None = None) -> list[Skill]:
    """The skills of installed packages (``points``: those of the ``lingxi.skills`` group by default)."""
    found = []
    for point in entry_points(group=ENTRY_POINT_GROUP) if points is None else points:
        try:
            skill = _made(point.load(), f"entry point {point.name}")
        except Exception:  # one broken package must not keep the assistant or the other skills down
            _LOGGER.exception("skill entry point %s (%s) failed to load", point.name, point.value)
            continue
        if skill is not None:
            found.append(skill)
    return found


def from_folder(folder: Path) -> Skill | None:
    """The skill in ``folder`` (``skill.py`` with ``create()``, beside its ``manifest.yaml``)."""
    module_name = "lingxi_skill_" + re.sub(r"\W", "_", folder.resolve().as_posix())
    try:
        spec = importlib.util.spec_from_file_location(module_name, folder / "skill.py")
        if spec is None or spec.loader is None:
            raise ImportError(f"no skill.py in {folder}")
        module = importlib.util.module_from_spec(spec)
        sys.modules[module_name] = module  # dataclasses and pickling look modules up by name
        spec.loader.exec_module(module)
        create: Callable[[], Any] = module.create
        return _made(create, str(folder))
    except Exception:
        _LOGGER.exception("skill folder %s failed to load", folder)
        return None


def from_package(folder: Path) -> list[Skill]:
    """The skills a package's source folder declares as ``lingxi.skills`` entry points in its pyproject.toml."""
    try:
        project = tomllib.loads((folder / "pyproject.toml").read_text(encoding="utf-8")).get("project", {})
    except (OSError, tomllib.TOMLDecodeError):
        _LOGGER.exception("skill package %s: cannot read pyproject.toml", folder)
        return []
    declared = project.get("entry-points", {}).get(ENTRY_POINT_GROUP, {})
    if str(folder.resolve()) not in sys.path:
        sys.path.append(str(folder.resolve()))  # as an editable install would
    return from_entry_points(EntryPoint(name, value, ENTRY_POINT_GROUP) for name, value in declared.items())


def from_folders(folders: Iterable[str | Path]) -> list[Skill]:
    """The skills of each folder: the folder itself when it holds a ``skill.py`` or is a package, else its sub-folders."""
    found: list[Skill] = []
    for folder in map(Path, folders):
        folder = folder.expanduser()
        if (folder / "pyproject.toml").is_file():
            found.extend(from_package(folder))
            continue
        candidates = [folder] if (folder / "skill.py").is_file() else sorted(p.parent for p in folder.glob("*/skill.py"))
        if not candidates:
            _LOGGER.warning("skills folder %s holds no skill", folder)
        found.extend(s for s in map(from_folder, candidates) if s is not None)
    return found


def install(registry: SkillRegistry, skills: Iterable[Skill], timer: SetTimer | None = None,
            providers: Providers | None = None) -> list[GuardedSkill]:
    """Add third-party ``skills`` to ``registry`` behind the gate (with ``timer`` for ``ctx.set_timer``),
    and those whose manifest ``provides`` content to ``providers``; refuse (and log) those that collide."""
    installed = []
    for skill in skills:
        manifest = skill.manifest
        reason = _refusal(registry, skill)
        if reason:
            _LOGGER.error("skill %s refused: %s", manifest.name, reason)
            continue
        if manifest.provides and providers is not None:
            providers.add(skill)  # type: ignore[arg-type]  # _refusal checked it has find()
            _LOGGER.info("content provider %s %s installed: %s", manifest.name, manifest.version, ", ".join(manifest.provides))
        if not manifest.intents:
            continue
        guarded = GuardedSkill(skill, timer)
        registry.register(guarded)
        installed.append(guarded)
        _LOGGER.info("skill %s %s installed: %s", manifest.name, manifest.version, ", ".join(manifest.intents))
    return installed


def _refusal(registry: SkillRegistry, skill: Skill) -> str:
    manifest = skill.manifest
    if not _SKILL_NAME.fullmatch(manifest.name):
        return f"its name must be vendor.name (lower case, dotted), not {manifest.name!r}"
    if manifest.provides and not isinstance(skill, ContentProvider):
        return f"it provides {', '.join(manifest.provides)} but has no find()"
    if not manifest.intents and not manifest.provides:
        return "it serves no intent"
    if manifest.intents and not isinstance(skill, Skill):
        return "it serves intents but has no handle()"
    for name in manifest.intents:
        if not name.startswith(manifest.name + "."):
            return f"intent {name!r} is not prefixed with the skill's name {manifest.name + '.'!r}"
        served = registry.skill_for(name)
        if served is not None:
            return f"intent {name!r} is served by {served.manifest.name!r} already"
    return ""
