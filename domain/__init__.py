"""The domain model every package shares: homes, devices, capabilities, risk and privacy, errors.

Understanding, the skills and the MQTT bridge all import it; it imports none of them.
"""

from domain.devices import CommandResult, CommandStatus, DeviceCommand, DeviceInfo
from domain.errors import (
    BrokerUnavailable,
    ErrorCode,
    HomeError,
    LingxiError,
    LlmError,
    LlmErrorCode,
    TemplateError,
    invalid_argument,
)
from domain.home import Capability, Device, Home, Names, Room, Scene, Speaker, load_demo_home, load_home, parse_home

__all__ = [
    "BrokerUnavailable",
    "Capability",
    "CommandResult",
    "CommandStatus",
    "Device",
    "DeviceCommand",
    "DeviceInfo",
    "ErrorCode",
    "Home",
    "HomeError",
    "LingxiError",
    "LlmError",
    "LlmErrorCode",
    "Names",
    "Room",
    "Scene",
    "Speaker",
    "TemplateError",
    "invalid_argument",
    "load_demo_home",
    "load_home",
    "parse_home",
]
