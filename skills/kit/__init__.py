"""The parts of the skill SDK (:mod:`skills.sdk` re-exports what skill authors use)."""

from typing import TYPE_CHECKING

from domain.lazy import lazy_exports

if TYPE_CHECKING:
    from skills.kit.discovery import ENTRY_POINT_GROUP, from_entry_points, from_folders, install
    from skills.kit.gate import GuardedSkill
    from skills.kit.manifest import (
        Access,
        BuiltinSlotType,
        ConfirmRule,
        IntentSpec,
        LatencyClass,
        Permission,
        SkillKind,
        SkillManifest,
        SlotType,
        SlotValue,
        load_manifest,
    )
    from skills.kit.matcher import SkillMatcher, catalog_others

__all__ = ["ENTRY_POINT_GROUP", "Access", "BuiltinSlotType", "ConfirmRule", "GuardedSkill", "IntentSpec", "LatencyClass",
           "Permission", "SkillKind", "SkillManifest", "SkillMatcher", "SlotType", "SlotValue", "catalog_others",
           "from_entry_points", "from_folders", "install", "load_manifest"]

__getattr__ = lazy_exports(__name__, {
    "discovery": ["ENTRY_POINT_GROUP", "from_entry_points", "from_folders", "install"],
    "gate": ["GuardedSkill"],
    "manifest": ["Access", "BuiltinSlotType", "ConfirmRule", "IntentSpec", "LatencyClass", "Permission", "SkillKind",
                 "SkillManifest", "SlotType", "SlotValue", "load_manifest"],
    "matcher": ["SkillMatcher", "catalog_others"],
})
