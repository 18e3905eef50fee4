"""Lingxi's MQTT side: the home model, HA discovery, virtual devices and the device bridge."""

from .bridge import BridgeOptions, DeviceBridge, read_states
from .broker import EmbeddedBroker
from .channels import Channel, Entity, parse_entity
from .commands import CommandResult, CommandStatus, DeviceCommand, DeviceInfo
from .discovery import device_configs, device_topics, render_state
from .home import Capability, Device, Home, HomeError, Names, load_demo_home, load_home, parse_home
from .mqtt import BrokerUnavailable, MqttClient, MqttSettings, Will, parse_mqtt_url
from .simulator import VirtualHome
from .templates import TemplateError, parse_command_template, parse_value_template

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
