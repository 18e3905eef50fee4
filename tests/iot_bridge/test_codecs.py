"""Unit tests: template parsing, value codecs and generic discovery parsing."""

from __future__ import annotations

import json

import pytest

from domain.home import Home
from iot_bridge.channels import parse_entity
from iot_bridge.codecs import COLOURS, Levels, Mapped, Mireds, RgbColour, Scaled, level_pairs
from iot_bridge.discovery import device_configs, render_state
from iot_bridge.mqtt import parse_mqtt_url
from iot_bridge.templates import MISSING, TemplateError, parse_command_template, parse_value_template


@pytest.mark.parametrize(
    ("template", "payload", "expected"),
    [
        ("{{ value_json.state }}", '{"state": "ON"}', "ON"),
        ("{{value_json['brightness']}}", '{"brightness": 128}', 128),
        ('{{ value_json["a"].b }}', '{"a": {"b": 3}}', 3),
        ("{{ value_json.list[1] }}", '{"list": [5, 6]}', 6),
        ("{{ value_json.temp | float }}", '{"temp": "21.5"}', 21.5),
        ("{{ value_json.temp | round(0) | int }}", '{"temp": 21.6}', 22),
        ("{{ value | lower }}", "LOCKED", "locked"),
        (None, "42", "42"),
    ],
)
def test_value_templates_extract(template: str | None, payload: str, expected: object) -> None:
    assert parse_value_template(template).extract(payload.encode()) == expected


def test_value_template_missing_key_and_bad_json() -> None:
    template = parse_value_template("{{ value_json.state }}")
    assert template.extract(b'{"other": 1}') is MISSING
    assert template.extract(b"not json") is MISSING


@pytest.mark.parametrize("template", ["{{ value_json }}", "{% if value %}1{% endif %}",
                                      "{{ value_json.x | default('a') }}", "{{ states('x') }}"])
def test_unsupported_templates_are_refused(template: str) -> None:
    with pytest.raises(TemplateError):
        parse_value_template(template)


def test_value_template_inject_round_trip() -> None:
    template = parse_value_template("{{ value_json.a.b }}")
    doc: dict[str, object] = {}
    template.inject(doc, 7)
    assert template.extract(json.dumps(doc)) == 7


@pytest.mark.parametrize(("template", "value", "payload"), [
    (None, 24, "24"),
    ('{"brightness": {{ value }}}', 128, '{"brightness": 128}'),
    ("{{ value | int }}", 21.7, "21"),
    ("SPEED {{value}}", "high", "SPEED high"),
])
def test_command_templates_render_and_parse(template: str | None, value: object, payload: str) -> None:
    parsed = parse_command_template(template)
    assert parsed.render(value) == payload
    assert parsed.parse(payload) is not None


def test_command_template_refuses_two_values() -> None:
    with pytest.raises(TemplateError):
        parse_command_template("{{ value }}-{{ value }}")


def test_scaled_brightness_round_trips_every_percent() -> None:
    codec = Scaled(0, 254)
    for percent in range(101):
        assert codec.decode(codec.encode(percent)) == percent


def test_mireds_round_trip_within_rounding() -> None:
    codec = Mireds()
    assert codec.encode(4000) == 250
    for kelvin in (2700, 3500, 5000, 6500):
        assert abs(codec.decode(codec.encode(kelvin)) - kelvin) <= 0.01 * kelvin


def test_named_colours_round_trip_through_rgb() -> None:
    for as_text in (False, True):
        codec = RgbColour(as_text=as_text)
        for name in COLOURS:
            assert codec.decode(codec.encode(name)) == name
    assert RgbColour().decode({"r": 200, "g": 10, "b": 5}) == "red"  # nearest named colour


def test_mapped_and_levels() -> None:
    lock = Mapped((("locked", "LOCK"), ("unlocked", "UNLOCK")))
    assert lock.encode("unlocked") == "UNLOCK" and lock.decode("LOCK") == "locked"
    assert lock.decode("JAMMED") is MISSING
    levels = Levels(level_pairs(("low", "medium", "high"), 1, 3))
    assert [levels.encode(n) for n in ("low", "medium", "high")] == [1, 2, 3]
    assert levels.decode("2") == "medium"


def test_parse_mqtt_url() -> None:
    settings = parse_mqtt_url("mqtt://user:p%40ss@broker.local:1884")
    assert (settings.host, settings.port, settings.username, settings.password) == ("broker.local", 1884, "user",
                                                                                    "p@ss")
    assert parse_mqtt_url("mqtt://localhost").port == 1883
    with pytest.raises(ValueError):
        parse_mqtt_url("http://x")


def test_own_configs_parse_back_to_home_capabilities(demo_home: Home) -> None:
    """Every demo device's discovery configs, read generically, offer exactly its capabilities."""
    for device in demo_home.devices.values():
        channels = {}
        for topic, config in device_configs(demo_home, device):
            for channel in parse_entity(topic, json.loads(json.dumps(config))).channels:
                channels.setdefault(channel.attribute, channel)
        writable = {a: ch.capability for a, ch in channels.items() if ch.capability is not None}
        assert set(writable) == set(device.capabilities), device.id
        for attribute, cap in device.capabilities.items():
            assert writable[attribute].kind == cap.kind, (device.id, attribute)
            assert writable[attribute].options == cap.options, (device.id, attribute)
            if cap.kind == "range":
                assert (writable[attribute].minimum, writable[attribute].maximum) == (cap.minimum, cap.maximum)
        # and the initial state decodes back to the home file's values
        payload = json.dumps(render_state(device, device.initial_state)).encode()
        decoded = {a: ch.state.codec.decode(ch.state.template.extract(payload))
                   for a, ch in channels.items() if ch.state is not None}
        for attribute, value in device.initial_state.items():
            if attribute == "mode" and device.initial_state.get("power") is False:
                continue  # HA climate reports hvac mode "off" while off
            assert decoded[attribute] == value, (device.id, attribute)


def test_abbreviated_config_with_base_topic() -> None:
    entity = parse_entity("homeassistant/switch/plug1/config", {
        "~": "tasmota/plug1", "cmd_t": "~/cmnd/POWER", "stat_t": "~/stat/POWER", "pl_on": "1", "pl_off": "0",
        "uniq_id": "plug1", "dev": {"ids": ["plug1"], "name": "Plug", "sa": "Kitchen"},
    })
    (power,) = entity.channels
    assert power.command is not None and power.command.topic == "tasmota/plug1/cmnd/POWER"
    assert power.command.codec.encode(True) == "1"
    assert power.state is not None and power.state.codec.decode("0") is False
    assert entity.identifiers == ("plug1",) and entity.suggested_area == "Kitchen"


def test_zigbee2mqtt_json_light_in_mireds() -> None:
    entity = parse_entity("homeassistant/light/0x00158d/light/config", {
        "schema": "json", "command_topic": "zigbee2mqtt/hall/set", "state_topic": "zigbee2mqtt/hall",
        "brightness": True, "brightness_scale": 254, "supported_color_modes": ["color_temp"],
        "min_mireds": 153, "max_mireds": 370, "device": {"identifiers": ["zigbee2mqtt_0x00158d"], "name": "hall"},
    })
    channels = {ch.attribute: ch for ch in entity.channels}
    assert set(channels) == {"power", "brightness", "color_temp"}
    cap = channels["color_temp"].capability
    assert cap is not None and (cap.minimum, cap.maximum) == (2703, 6536)
    payload = b'{"state": "ON", "brightness": 254, "color_temp": 250}'
    values = {a: ch.state.codec.decode(ch.state.template.extract(payload)) for a, ch in channels.items()
              if ch.state is not None}
    assert values == {"power": True, "brightness": 100, "color_temp": 4000}
