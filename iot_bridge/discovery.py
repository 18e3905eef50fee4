"""How Lingxi's virtual devices present themselves: HA MQTT discovery configs and state payloads.

Each home device becomes one HA *device* (``device.identifiers``) made of one or more
entities, mapped faithfully onto HA's documented MQTT schemas so that a real Home Assistant
on the same broker could show and control them, and so that our bridge reads them the same
way it reads any other hub's devices. Topic layout, for home ``H`` and device ``D``::

    homeassistant/<component>/lingxi_H/<object_id>/config   discovery (retained)
    lingxi/H/D/state                                        retained JSON state, every attribute
    lingxi/H/D/set                                          JSON-schema light commands
    lingxi/H/D/<attribute>/set                              one attribute's command (raw payload)
    lingxi/H/D/command                                      vacuum commands (start, return_to_base...)
    lingxi/H/D/availability                                 online/offline (retained)
    lingxi/H/simulator/availability                         the simulator's own online/offline (last will)

Device types HA's MQTT integration lacks are composed: a TV is a ``switch`` plus a ``number``
(volume); a camera is a ``switch``; read-only values (battery, PM2.5) are extra ``sensor``
entities of the same device, as Zigbee2MQTT does it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from domain.home import Device, Home
from iot_bridge.codecs import COLOURS, level_pairs

#: The HA component that carries each Lingxi device type.
COMPONENTS = {
    "light": "light", "climate": "climate", "cover": "cover", "lock": "lock", "vacuum": "vacuum",
    "fan": "fan", "water_heater": "water_heater", "switch": "switch", "camera": "switch",
    "media_player": "switch", "sensor": "sensor",
}
#: Lingxi modes with a different name in HA's climate schema.
HVAC_MODES = {"fan": "fan_only"}
#: Read-only attributes published as extra sensor entities: attribute -> (state key, device_class, unit).
EXTRA_SENSORS = {
    "battery": ("battery", "battery", "%"),
    "pm25": ("pm25", "pm25", "µg/m³"),
}
_SENSOR_UNITS = {"temperature": "°C", "humidity": "%", "pm25": "µg/m³", "battery": "%"}


@dataclass(frozen=True)
class DeviceTopics:
    """The MQTT topics of one virtual device."""

    base: str
    node_id: str

    @property
    def state(self) -> str:
        return f"{self.base}/state"

    @property
    def availability(self) -> str:
        return f"{self.base}/availability"

    @property
    def json_command(self) -> str:
        return f"{self.base}/set"

    @property
    def vacuum_command(self) -> str:
        return f"{self.base}/command"

    def command(self, attribute: str) -> str:
        return f"{self.base}/{attribute}/set"


def device_topics(home_id: str, device_id: str) -> DeviceTopics:
    return DeviceTopics(f"lingxi/{home_id}/{device_id}", f"lingxi_{home_id}")


def simulator_availability_topic(home_id: str) -> str:
    return f"lingxi/{home_id}/simulator/availability"


def device_identifier(home_id: str, device_id: str) -> str:
    """The home-qualified identifier that keeps two homes on one broker apart."""
    return f"lingxi:{home_id}:{device_id}"


def _base_config(home: Home, device: Device, topics: DeviceTopics, suffix: str = "") -> dict[str, Any]:
    return {
        "unique_id": f"lingxi_{home.id}_{device.id}{suffix}",
        "object_id": f"{device.id}{suffix}",
        "availability": [{"topic": simulator_availability_topic(home.id)}, {"topic": topics.availability}],
        "availability_mode": "all",
        "device": {
            "identifiers": [device.id, device_identifier(home.id, device.id)],
            "name": device.names.first("en") or device.id,
            "suggested_area": home.rooms[device.room].names.first("en") if device.room in home.rooms else device.room,
            "manufacturer": "Lingxi",
            "model": f"virtual {device.type}",
        },
        "qos": 1,
    }


def _template(key: str) -> str:
    return "{{ value_json." + key + " }}"


def _main_config(device: Device, t: DeviceTopics) -> dict[str, Any]:
    caps = device.capabilities
    kind = device.type
    if kind == "light":
        modes = ["rgb"] if "color" in caps else ["color_temp"] if "color_temp" in caps else (
            ["brightness"] if "brightness" in caps else ["onoff"])
        config: dict[str, Any] = {"schema": "json", "command_topic": t.json_command, "state_topic": t.state,
                                  "supported_color_modes": modes}
        if "brightness" in caps:
            config.update(brightness=True, brightness_scale=100)
        if "color_temp" in caps:
            config.update(color_temp_kelvin=True, min_kelvin=int(caps["color_temp"].minimum or 2000),
                          max_kelvin=int(caps["color_temp"].maximum or 6500))
        return config
    if kind in ("climate", "water_heater"):
        modes = [HVAC_MODES.get(m, m) for m in caps["mode"].options] if "mode" in caps else ["electric"]
        temp = caps["temperature"]
        config = {
            "power_command_topic": t.command("power"), "payload_on": "ON", "payload_off": "OFF",
            "mode_command_topic": t.command("mode"), "mode_state_topic": t.state,
            "mode_state_template": _template("mode"), "modes": ["off", *modes],
            "temperature_command_topic": t.command("temperature"), "temperature_state_topic": t.state,
            "temperature_state_template": _template("temperature"),
            "min_temp": temp.minimum, "max_temp": temp.maximum, "temperature_unit": "C", "precision": 1.0,
            "current_temperature_topic": t.state, "current_temperature_template": _template("current_temperature"),
        }
        if "fan_speed" in caps:
            config.update(fan_mode_command_topic=t.command("fan_speed"), fan_mode_state_topic=t.state,
                          fan_mode_state_template=_template("fan_mode"), fan_modes=list(caps["fan_speed"].options))
        return config
    if kind == "cover":
        return {"command_topic": t.command("cover"), "state_topic": t.state, "value_template": _template("state"),
                "set_position_topic": t.command("position"), "position_topic": t.state,
                "position_template": _template("position"), "position_open": 100, "position_closed": 0,
                "device_class": "curtain"}
    if kind == "lock":
        return {"command_topic": t.command("lock"), "state_topic": t.state, "value_template": _template("lock")}
    if kind == "vacuum":
        return {"command_topic": t.vacuum_command, "state_topic": t.state,
                "set_fan_speed_topic": t.command("fan_speed"),
                "fan_speed_list": list(caps["fan_speed"].options) if "fan_speed" in caps else [],
                "supported_features": ["start", "stop", "return_home", "status", "fan_speed"]}
    if kind == "fan":
        config = {"command_topic": t.command("power"), "state_topic": t.state,
                  "state_value_template": _template("state")}
        if "mode" in caps:
            config.update(preset_mode_command_topic=t.command("mode"), preset_mode_state_topic=t.state,
                          preset_mode_value_template=_template("preset_mode"), preset_modes=list(caps["mode"].options))
        if "fan_speed" in caps:
            config.update(percentage_command_topic=t.command("fan_speed"), percentage_state_topic=t.state,
                          percentage_value_template=_template("speed"), speed_range_min=1,
                          speed_range_max=len(caps["fan_speed"].options))
        return config
    # switch, camera, media_player: on/off
    return {"command_topic": t.command("power"), "state_topic": t.state, "value_template": _template("state"),
            "device_class": "outlet" if kind == "switch" else "switch"}


def device_configs(home: Home, device: Device) -> list[tuple[str, dict[str, Any]]]:
    """The discovery topic and config of every entity of ``device``."""
    t = device_topics(home.id, device.id)
    out: list[tuple[str, dict[str, Any]]] = []

    def add(component: str, suffix: str, name: str | None, body: Mapping[str, Any]) -> None:
        config = {**_base_config(home, device, t, suffix), "name": name, **body}
        out.append((f"{home.discovery_prefix}/{component}/{t.node_id}/{device.id}{suffix}/config", config))

    if device.type == "sensor":
        for key in device.initial_state:
            add("sensor", f"_{key}", key.replace("_", " ").title(),
                {"state_topic": t.state, "value_template": _template(key), "device_class": key,
                 "unit_of_measurement": _SENSOR_UNITS.get(key), "state_class": "measurement"})
        return out
    add(COMPONENTS.get(device.type, "switch"), "", None, _main_config(device, t))
    if device.type == "media_player" and "volume" in device.capabilities:
        vol = device.capabilities["volume"]
        add("number", "_volume", "Volume", {"command_topic": t.command("volume"), "state_topic": t.state,
                                             "value_template": _template("volume"), "min": vol.minimum,
                                             "max": vol.maximum, "step": 1})
    for attribute, (key, device_class, unit) in EXTRA_SENSORS.items():
        if attribute in device.initial_state:
            add("sensor", f"_{attribute}", attribute.title(),
                {"state_topic": t.state, "value_template": _template(key), "device_class": device_class,
                 "unit_of_measurement": unit, "state_class": "measurement"})
    return out


def _on(state: Mapping[str, Any]) -> str:
    return "ON" if state.get("power") else "OFF"


def render_state(device: Device, state: Mapping[str, Any]) -> dict[str, Any]:
    """The retained JSON state payload a device publishes for ``state`` (Lingxi vocabulary)."""
    kind, caps = device.type, device.capabilities
    if kind == "light":
        out: dict[str, Any] = {"state": _on(state)}
        if "brightness" in state:
            out["brightness"] = state["brightness"]
        if "color" in caps and "color" in state:
            r, g, b = COLOURS[state["color"]]
            out.update(color_mode="rgb", color={"r": r, "g": g, "b": b})
        elif "color_temp" in state:
            out.update(color_mode="color_temp", color_temp=state["color_temp"])
        else:
            out["color_mode"] = "brightness" if "brightness" in caps else "onoff"
        return out
    if kind in ("climate", "water_heater"):
        mode = HVAC_MODES.get(str(state.get("mode")), state.get("mode")) if "mode" in state else "electric"
        out = {"power": _on(state), "mode": mode if state.get("power") else "off"}
        for key in ("temperature", "current_temperature"):
            if key in state:
                out[key] = state[key]
        if "fan_speed" in state:
            out["fan_mode"] = state["fan_speed"]
        return out
    if kind == "cover":
        position = state.get("position", 0)
        return {"position": position, "state": "closed" if position == 0 else "open"}
    if kind == "lock":
        return {"lock": "LOCKED" if state.get("lock") == "locked" else "UNLOCKED", "battery": state.get("battery")}
    if kind == "vacuum":
        return {"state": state.get("status", "docked"), "fan_speed": state.get("fan_speed"),
                "battery_level": state.get("battery")}
    if kind == "fan":
        out = {"state": _on(state), "preset_mode": state.get("mode")}
        if "fan_speed" in caps and "fan_speed" in state:
            out["speed"] = dict(level_pairs(caps["fan_speed"].options, 1, len(caps["fan_speed"].options)))[
                state["fan_speed"]]
        if "pm25" in state:
            out["pm25"] = state["pm25"]
        return out
    if kind == "sensor":
        return dict(state)
    out = {"state": _on(state)}
    if "volume" in state:
        out["volume"] = state["volume"]
    return out
