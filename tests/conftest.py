"""Shared fixtures: a real mosquitto broker per test (fresh retained state every time)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator

import pytest

from domain.home import Home, load_demo_home
from iot_bridge.mosquitto import MosquittoProcess as Mosquitto
from iot_bridge.mqtt import MqttSettings


@pytest.fixture
def mosquitto() -> Iterator[Mosquitto]:
    """A running mosquitto on a free 127.0.0.1 port, stopped after the test."""
    broker = Mosquitto()
    broker.start()
    try:
        yield broker
    finally:
        broker.cleanup()


@pytest.fixture(scope="module")
def module_broker() -> Iterator[Mosquitto]:
    """A mosquitto shared by one module's tests (each test resets what it uses)."""
    broker = Mosquitto()
    broker.start()
    try:
        yield broker
    finally:
        broker.cleanup()


@pytest.fixture
def mqtt_settings(mosquitto: Mosquitto) -> MqttSettings:
    """Client settings for the test broker."""
    return MqttSettings(host=mosquitto.host, port=mosquitto.port, client_id_prefix="test")


@pytest.fixture
def restart_broker(mosquitto: Mosquitto) -> Callable[[float], Awaitable[None]]:
    """``await restart_broker(down_s)``: stop the broker, keep it down ``down_s``, start it on the same port."""

    async def restart(down_s: float = 0.0) -> None:
        await asyncio.to_thread(mosquitto.stop)
        if down_s:
            await asyncio.sleep(down_s)
        await asyncio.to_thread(mosquitto.start)

    return restart


@pytest.fixture(scope="session")
def demo_home() -> Home:
    return load_demo_home()
