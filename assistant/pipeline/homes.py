"""Homes served by this instance, and which home each speaking device belongs to."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from domain.devices import CommandResult, DeviceCommand, DeviceInfo
from domain.errors import ErrorCode, LingxiError, invalid_argument
from domain.home import Home, Speaker


class HomeBridge(Protocol):
    """The device bridge as the assistant uses it (``iot_bridge.DeviceBridge``)."""

    def devices(self, home_id: str) -> Sequence[DeviceInfo]: ...

    def state(self, home_id: str, device_id: str) -> Mapping[str, Any]: ...

    async def execute(self, home_id: str, command: DeviceCommand, timeout: float | None = None) -> CommandResult: ...


class HomeDevices:
    """One home's devices on the bridge: the skills' :class:`skills.sdk.DeviceGateway`."""

    def __init__(self, bridge: HomeBridge, home_id: str) -> None:
        self._bridge = bridge
        self._home_id = home_id

    def devices(self) -> Sequence[DeviceInfo]:
        return self._bridge.devices(self._home_id)

    def state(self, device_id: str) -> Mapping[str, Any]:
        return self._bridge.state(self._home_id, device_id)

    async def execute(self, command: DeviceCommand, timeout: float) -> CommandResult:
        return await self._bridge.execute(self._home_id, command, timeout)


class HomeDirectory:
    """Homes by id; every speaking device belongs to exactly one of them."""

    def __init__(self, homes: Sequence[Home]) -> None:
        self.homes: dict[str, Home] = {}
        self._speakers: dict[str, tuple[Home, Speaker]] = {}
        for home in homes:
            if home.id in self.homes:
                raise invalid_argument(f"two homes have the id {home.id!r}")
            self.homes[home.id] = home
            for speaker in home.speakers.values():
                if speaker.id in self._speakers:
                    raise invalid_argument(f"speaker {speaker.id!r} is in two homes")
                self._speakers[speaker.id] = (home, speaker)

    def speaker(self, speaker_id: str) -> tuple[Home, Speaker]:
        try:
            return self._speakers[speaker_id]
        except KeyError:
            raise LingxiError(ErrorCode.NOT_FOUND, f"unknown speaking device {speaker_id!r}") from None
