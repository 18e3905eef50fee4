"""Typed messages between the assistant and the device bridge."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from domain.home import Capability, Device, Names, is_risky


class CommandStatus(str, Enum):
    """Outcome of one device command, as reported in an answer's actions."""

    DONE = "done"  # the device's state update confirmed every requested change
    FAILED = "failed"  # the device answered but did not apply the change, or could not be reached
    TIMEOUT = "timeout"  # no confirming state update arrived in time
    REJECTED = "rejected"  # refused before sending: unknown device, unsupported attribute or value


@dataclass(frozen=True)
class DeviceInfo:
    """A device as the bridge knows it: discovered over MQTT, merged with the home's names.

    ``capabilities`` come from the device's discovery config; ``names``, ``room`` and
    ``risky`` from the home file when the device is listed there.
    """

    id: str
    type: str
    room: str
    names: Names
    capabilities: Mapping[str, Capability]
    risky: Mapping[str, Any] = field(default_factory=dict)
    available: bool = True

    @classmethod
    def from_home(cls, device: Device) -> DeviceInfo:
        """The device as the home file describes it (before anything is discovered)."""
        return cls(device.id, device.type, device.room, device.names, device.capabilities, device.risky)

    def is_risky(self, attribute: str, value: Any) -> bool:
        """Whether setting ``attribute`` to ``value`` needs a confirmation turn."""
        return is_risky(self.risky, attribute, value)


@dataclass(frozen=True)
class DeviceCommand:
    """Set attributes of one device, in Lingxi's attribute vocabulary.

    Values: ``power`` bool; ``brightness``/``position``/``volume`` 0-100; ``color_temp``
    kelvin; ``temperature`` °C; ``color``/``mode``/``fan_speed``/``lock`` strings.
    """

    device_id: str
    changes: Mapping[str, Any]


@dataclass(frozen=True)
class CommandResult:
    device_id: str
    status: CommandStatus
    state: Mapping[str, Any] = field(default_factory=dict)  # the device's last known state
    detail: str = ""  # why, when not done
