"""Values, devices and media as the skill API carries them (``lingxi.skill.v1``), both ways."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lingxi.skill.v1 import skill_pb2 as pb

from domain.devices import DeviceInfo
from domain.home import Capability, Names
from skills.sdk import MediaDirective


def value_to_proto(value: Any) -> pb.Value:
    """A slot's or an attribute's value; anything but text, a number or a flag travels as its text."""
    if isinstance(value, bool):  # before int: a bool is an int
        return pb.Value(flag=value)
    if isinstance(value, int):
        return pb.Value(integer=value)
    if isinstance(value, float):
        return pb.Value(number=value)
    return pb.Value(text=str(value))


def value_from_proto(value: pb.Value) -> Any:
    kind = value.WhichOneof("kind")
    return getattr(value, kind) if kind else None


def values_to_proto(values: Mapping[str, Any]) -> dict[str, pb.Value]:
    return {key: value_to_proto(v) for key, v in values.items()}


def values_from_proto(values: Mapping[str, pb.Value]) -> dict[str, Any]:
    return {key: value_from_proto(v) for key, v in values.items()}


def device_to_proto(device: DeviceInfo, state: Mapping[str, Any]) -> pb.Device:
    return pb.Device(
        id=device.id, type=device.type, room=device.room, names_zh=device.names.zh, names_en=device.names.en,
        capabilities=[pb.Capability(attribute=c.attribute, kind=c.kind, minimum=c.minimum, maximum=c.maximum, options=c.options)
                      for c in device.capabilities.values()],
        state=values_to_proto(state), available=device.available,
    )


def device_from_proto(device: pb.Device) -> tuple[DeviceInfo, dict[str, Any]]:
    """The device and its state."""
    capabilities = {
        c.attribute: Capability(c.attribute, c.kind, c.minimum if c.HasField("minimum") else None,
                                c.maximum if c.HasField("maximum") else None, tuple(c.options))
        for c in device.capabilities
    }
    info = DeviceInfo(device.id, device.type, device.room, Names(tuple(device.names_zh), tuple(device.names_en)),
                      capabilities, available=device.available)
    return info, values_from_proto(device.state)


def media_to_proto(media: MediaDirective) -> pb.Media:
    return pb.Media(id=media.id, kind=media.kind, title=media.title, artist=media.artist, queue=media.queue,
                    episode=media.episode or 0, state=media.state, device=media.device, position_s=media.position_s)


def media_from_proto(media: pb.Media) -> MediaDirective:
    return MediaDirective(media.id, media.kind, media.title, tuple(media.artist), tuple(media.queue),
                          media.episode or None, media.state, media.device, media.position_s)
