"""Lingxi's MQTT side: the home model, HA discovery, virtual devices and the device bridge."""

from domain.devices import CommandResult, CommandStatus, DeviceCommand, DeviceInfo
from domain.home import Capability, Device, Home, HomeError, Names, load_demo_home, load_home, parse_home
from iot_bridge.bridge import BridgeOptions, DeviceBridge, read_states
from iot_bridge.broker import EmbeddedBroker
from iot_bridge.channels import Channel, Entity, parse_entity
from iot_bridge.discovery import device_configs, device_topics, render_state
from iot_bridge.mqtt import BrokerUnavailable, MqttClient, MqttSettings, Will, parse_mqtt_url
from iot_bridge.simulator import VirtualHome
from iot_bridge.templates import TemplateError, parse_command_template, parse_value_template

__all__ = [
    "BridgeOptions",
    "BrokerUnavailable",
    "Capability",
    "Channel",
    "CommandResult",
    "CommandStatus",
    "Device",
    "DeviceBridge",
    "DeviceCommand",
    "DeviceInfo",
    "EmbeddedBroker",
    "Entity",
    "Home",
    "HomeError",
    "MqttClient",
    "MqttSettings",
    "Names",
    "TemplateError",
    "VirtualHome",
    "Will",
    "device_configs",
    "device_topics",
    "load_demo_home",
    "load_home",
    "parse_command_template",
    "parse_entity",
    "parse_home",
    "parse_mqtt_url",
    "parse_value_template",
    "read_states",
    "render_state",
]
