"""Property-based fuzzing of what the bridge reads from the broker: discovery configs, state payloads, templates.

Every input is either accepted or ignored with a log line; nothing raises out of the code that reads it; and a
bridge that has read a stream of such messages from a real broker still confirms a command to a real device.
Example counts are kept small so the file runs in seconds.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
from collections.abc import Iterator
from typing import Any

import paho.mqtt.client as paho
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.errors import LingxiError, TemplateError
from domain.home import Home, load_demo_home
from iot_bridge import CommandStatus, DeviceBridge, DeviceCommand, MqttClient
from iot_bridge.discovery import device_configs, device_topics
from iot_bridge.mqtt import MqttSettings, valid_filter
from iot_bridge.registry import HomeRegistry
from iot_bridge.templates import MISSING, parse_command_template, parse_value_template
from iot_bridge.validation import plan_command

HOME = load_demo_home()
FAST = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])

# --- strategies -------------------------------------------------------------------------------------------------------

TOPIC_PARTS = st.sampled_from(["zigbee2mqtt", "hall", "set", "state", "#", "+", "$SYS", "", "lingxi", "demo",
                               "front_door_lock", "lock", "\x00", "灯", "x" * 300])
topics = st.lists(TOPIC_PARTS, min_size=1, max_size=5).map("/".join)
numbers = st.one_of(st.integers(min_value=-(10**30), max_value=10**30),
                    st.floats(allow_nan=True, allow_infinity=True), st.sampled_from([1e308, -1e308, 5e-324, 0]))
TEMPLATES = st.one_of(
    st.sampled_from(["{{ value_json.state }}", "{{ value_json['brightness'] | int }}", "{{ value | float }}",
                     "{{ value_json.a[0].b | round(2) }}", "{{ value | round(99) }}", "{{ value | int }}",
                     '{"brightness": {{ value }}}', "{% if x %}", "{{ value_json }}", "{{ value | lower | trim }}",
                     "ON{{ value | upper }}OFF", "{{ value_json.x | evil }}", "{{ value | round(abc) }}"]),
    st.text(max_size=40))
scalars = st.one_of(st.none(), st.booleans(), numbers, st.text(max_size=30), topics, TEMPLATES)
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                       st.dictionaries(st.text(max_size=8), inner, max_size=4)),
                      max_leaves=12)
CONFIG_KEYS = ["command_topic", "state_topic", "availability_topic", "set_position_topic", "position_topic",
               "brightness_command_topic", "brightness_state_topic", "value_template", "state_value_template",
               "command_template", "brightness_scale", "payload_on", "payload_off", "min", "max", "min_temp",
               "max_temp", "modes", "fan_modes", "preset_modes", "schema", "supported_color_modes",
               "speed_range_min", "speed_range_max", "min_mireds", "max_mireds", "position_open", "position_closed",
               "device_class", "name", "unique_id", "~", "cmd_t", "stat_t", "avty", "availability", "device"]
devices = st.fixed_dictionaries({}, optional={
    "identifiers": st.one_of(st.text(max_size=20), st.lists(st.sampled_from(
        ["front_door_lock", "lingxi:demo:front_door_lock", "lingxi:other:x", "fuzz_device", ""]), max_size=3)),
    "name": st.one_of(st.sampled_from(["厨房灯", "Kitchen light", "客厅", ""]), st.text(max_size=20)),
    "suggested_area": st.text(max_size=20)})
configs = st.dictionaries(st.sampled_from(CONFIG_KEYS), values, max_size=10).flatmap(
    lambda c: devices.map(lambda d: {**c, "device": d} if "device" not in c else c))
COMPONENTS = st.sampled_from(["light", "switch", "lock", "cover", "climate", "fan", "vacuum", "number", "sensor",
                              "valve", "alarm_control_panel", "camera", "water_heater", "unknown"])


def config_payloads() -> st.SearchStrategy[bytes]:
    as_json = configs.map(lambda c: json.dumps(c, allow_nan=True).encode())
    return st.one_of(as_json, as_json, st.binary(max_size=200), st.sampled_from(
        [b"[" * 50_000, b"{}", b"null", b"[]", b'"text"', b'{"command_topic": NaN}', b"\xff" * 10,
         b'{"name": "' + b"x" * 70_000 + b'"}']))


state_payloads = st.one_of(
    values.map(lambda v: json.dumps(v, allow_nan=True).encode()), st.binary(max_size=100),
    st.sampled_from([b"nan", b"inf", b"-inf", b"1e308", b"1e400", b"ON", b"LOCKED", b"[" * 10_000,
                     b'{"state": "ON", "brightness": NaN}', b'{"color": {"r": 1e400, "g": 0, "b": 0}}',
                     b'{"color_temp": 5e-324}', b'{"lock": "UNLOCKED", "battery": 1e308}', b"x" * 70_000]))


class Logged(logging.Handler):
    """Warnings of the bridge's loggers, kept for the property to look at."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@pytest.fixture
def logged() -> Iterator[Logged]:
    handler = Logged()
    logger = logging.getLogger("iot_bridge")
    logger.addHandler(handler)
    try:
        yield handler
    finally:
        logger.removeHandler(handler)


def demo_registry() -> HomeRegistry:
    registry = HomeRegistry(HOME)
    for device in HOME.devices.values():
        for topic, config in device_configs(HOME, device):
            assert registry.apply_config(topic, json.dumps(config).encode())
    return registry


def sane(value: Any) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, str):
        return len(value) <= 64
    return isinstance(value, (bool, int))


# --- the registry: configs, then state ---------------------------------------------------------------------------------

@FAST
@given(component=COMPONENTS, object_id=st.sampled_from(["fuzz", "front_door_lock", "厨房灯", "x/y"]),
       payload=config_payloads())
def test_a_config_is_accepted_or_ignored_with_a_log_line(logged: Logged, component: str, object_id: str,
                                                         payload: bytes) -> None:
    registry = demo_registry()
    logged.messages.clear()
    topic = f"homeassistant/{component}/{object_id}/config"
    learned = registry.apply_config(topic, payload)
    infos = registry.all_infos()  # building what the skills read must not raise either
    if not learned and payload.strip():
        claims_another_home = b"lingxi:other:" in payload
        assert logged.messages or claims_another_home, payload[:200]
    assert [d.id for d in infos][:len(HOME.devices)] == list(HOME.devices)  # the home's devices stay
    assert all(d.available for d in infos if d.id in HOME.devices)
    for device_id in HOME.devices:  # and every one still takes a valid command
        info = registry.info(device_id)
        assert info is not None
        assert not info.capabilities or not isinstance(plan_command(info, registry.channels(device_id), _valid_change(info)), str)


def _valid_change(info: Any) -> dict[str, Any]:
    attribute, cap = next(iter(info.capabilities.items())) if info.capabilities else ("power", None)
    if cap is None or cap.kind == "bool":
        return {attribute: True}
    return {attribute: cap.options[0] if cap.kind == "enum" else cap.minimum}


@FAST
@given(config=configs, component=COMPONENTS, payloads=st.lists(state_payloads, min_size=1, max_size=4))
def test_state_of_any_shape_decodes_to_sane_values_or_nothing(component: str, config: dict[str, Any],
                                                               payloads: list[bytes]) -> None:
    registry = demo_registry()
    config = {**config, "state_topic": "fuzz/state", "command_topic": "fuzz/set",
              "device": {"identifiers": ["fuzz_device"], "name": "Fuzz"}}
    registry.apply_config(f"homeassistant/{component}/fuzz/config", json.dumps(config, allow_nan=True).encode())
    for payload in payloads:
        for topic in ("fuzz/state", device_topics(HOME.id, "living_room_main_light").state,
                      device_topics(HOME.id, "front_door_lock").state):
            registry.apply_state(topic, payload)
            registry.apply_availability(topic, payload)
    for device_id in registry.device_ids():
        assert all(sane(v) for v in registry.state(device_id).values()), registry.state(device_id)
        info = registry.info(device_id)
        assert info is not None
        if device_id == "fuzz_device" and info.capabilities:
            plan_command(info, registry.channels(device_id), _valid_change(info))  # a plan or a reason, no raise


# --- templates and filters ----------------------------------------------------------------------------------------

@FAST
@given(template=TEMPLATES, payload=state_payloads)
def test_value_templates_parse_or_refuse_and_extract_never_raises(template: str, payload: bytes) -> None:
    try:
        parsed = parse_value_template(template)
    except TemplateError:
        return
    value = parsed.extract(payload)
    assert value is MISSING or not isinstance(value, float) or math.isfinite(value)


@FAST
@given(template=TEMPLATES, value=scalars)
def test_command_templates_render_or_refuse(template: str, value: Any) -> None:
    try:
        parsed = parse_command_template(template)
    except TemplateError:
        return
    try:
        rendered = parsed.render(value)
    except ValueError:
        return  # plan_command turns this into a rejection, tested below
    assert isinstance(rendered, str)


def test_a_command_its_template_cannot_render_is_rejected_not_raised() -> None:
    registry = demo_registry()
    config = {"name": None, "command_topic": "plug/set", "state_topic": "plug", "command_template": "{{ value | int }}",
              "device": {"identifiers": ["plug"], "name": "Plug"}}
    assert registry.apply_config("homeassistant/switch/plug/config", json.dumps(config).encode())
    info = registry.info("plug")
    assert info is not None
    reason = plan_command(info, registry.channels("plug"), {"power": True})
    assert isinstance(reason, str) and "cannot" in reason


@FAST
@given(topic=topics)
def test_subscriptions_take_only_valid_filters(topic: str) -> None:
    client = MqttClient(MqttSettings(), name="filters")
    paho_ok = paho.Client._filter_wildcard_len_check(topic.encode()) == paho.MQTT_ERR_SUCCESS and "\x00" not in topic
    assert valid_filter(topic) == paho_ok
    if paho_ok:
        client.subscribe(topic)
    else:
        with pytest.raises(LingxiError):
            client.subscribe(topic)


# --- a live bridge on a real broker keeps serving --------------------------------------------------------------------

@pytest.mark.integration
async def test_the_bridge_keeps_serving_after_a_stream_of_fuzzed_messages(bridge: DeviceBridge, demo_home: Home,
                                                                          mqtt_settings: MqttSettings) -> None:
    loop = asyncio.get_running_loop()
    escaped: list[dict[str, Any]] = []
    loop.set_exception_handler(lambda _loop, context: escaped.append(context))
    hub = MqttClient(mqtt_settings, name="fuzz-hub")
    await hub.start(wait=5)
    main_light_state = device_topics(demo_home.id, "living_room_main_light").state

    def publish(topic: str, payload: bytes) -> None:
        asyncio.run_coroutine_threadsafe(hub.publish(topic, payload, qos=1), loop).result(5)

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(component=COMPONENTS, config=config_payloads(), state=state_payloads)
    def stream(component: str, config: bytes, state: bytes) -> None:
        publish(f"homeassistant/{component}/fuzz/config", config)
        publish("fuzz/state", state)
        publish(main_light_state, state)

    try:
        await asyncio.to_thread(stream)
        assert await bridge.sync()
        result = await bridge.execute(demo_home.id, DeviceCommand("living_room_main_light", {"power": True}))
        assert result.status is CommandStatus.DONE, result.detail
        result = await bridge.execute(demo_home.id, DeviceCommand("front_door_lock", {"lock": "unlocked"}))
        assert result.status is CommandStatus.DONE, result.detail
        assert escaped == []
    finally:
        loop.set_exception_handler(None)
        await hub.stop()
