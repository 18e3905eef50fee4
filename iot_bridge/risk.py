"""The risk a device carries by what it is, whoever announced it.

A home file flags what its owner considers risky (a water heater above 60 °C); these rules
hold for every device of the kind, listed or only discovered, and the home file cannot
relax them: unlocking any lock, opening any valve or garage door or gate, disarming any
alarm, switching any camera off needs a confirmation turn. Rules have the form of the home
file's ``risky`` map (a value, or ``{"above": N}``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

#: Rules by Lingxi device type.
BY_TYPE: Mapping[str, Mapping[str, Any]] = {
    "lock": {"lock": "unlocked"},
    "camera": {"power": False},
    "alarm": {"power": False},
    "valve": {"power": True, "position": {"above": 0}},
}
#: Rules by HA ``device_class`` of any of the device's entities.
BY_CLASS: Mapping[str, Mapping[str, Any]] = {
    "garage": {"position": {"above": 0}},
    "gate": {"position": {"above": 0}},
}


def device_risks(kind: str, device_classes: Iterable[str], listed: Mapping[str, Any]) -> dict[str, Any]:
    """The home file's ``listed`` rules with the inherent ones of ``kind`` and ``device_classes`` on top."""
    rules = dict(listed)
    rules.update(BY_TYPE.get(kind, {}))
    for device_class in device_classes:
        rules.update(BY_CLASS.get(device_class, {}))
    return rules
