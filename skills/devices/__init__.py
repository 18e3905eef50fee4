"""Tool skills for the home's devices: control, state questions, scenes, targeting, the safety gate."""

from typing import TYPE_CHECKING

from domain.lazy import lazy_exports

if TYPE_CHECKING:
    from skills.devices.changes import plan_change
    from skills.devices.control import DeviceControlSkill
    from skills.devices.execution import execute_all
    from skills.devices.query import DeviceQuerySkill
    from skills.devices.safety import is_risky_change
    from skills.devices.scenes import SceneSkill
    from skills.devices.slot_values import number_slot
    from skills.devices.targeting import resolve_targets

__all__ = ["DeviceControlSkill", "DeviceQuerySkill", "SceneSkill", "execute_all", "is_risky_change", "number_slot",
           "plan_change", "resolve_targets"]

__getattr__ = lazy_exports(__name__, {
    "changes": ["plan_change"],
    "control": ["DeviceControlSkill"],
    "execution": ["execute_all"],
    "query": ["DeviceQuerySkill"],
    "safety": ["is_risky_change"],
    "scenes": ["SceneSkill"],
    "slot_values": ["number_slot"],
    "targeting": ["resolve_targets"],
})
