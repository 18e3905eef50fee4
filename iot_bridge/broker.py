"""An embedded MQTT broker (amqtt 0.12) for running Lingxi without an external broker.

``make run`` should work on a laptop with nothing installed: when no broker URL is
configured, the service starts this one in-process on its own event loop. amqtt speaks
MQTT 3.1.1 only (our clients use 3.1.1 everywhere for that reason); production uses a real
broker such as mosquitto.
"""

from __future__ import annotations

import logging
from typing import Any

from iot_bridge.mqtt import MqttSettings

_LOGGER = logging.getLogger(__name__)


class EmbeddedBroker:
    """amqtt's broker on the running event loop, anonymous, loopback by default."""

    def __init__(self, host: str = "127.0.0.1", port: int = 1883) -> None:
        self.host = host
        self.port = port
        self._broker: Any = None

    @property
    def settings(self) -> MqttSettings:
        """Client settings that reach this broker."""
        return MqttSettings(host=self.host, port=self.port)

    async def start(self) -> None:
        from amqtt.broker import Broker  # imported lazily: amqtt is heavy and only needed here

        config = {
            "listeners": {"default": {"type": "tcp", "bind": f"{self.host}:{self.port}"}},
            "plugins": {
                "amqtt.plugins.authentication.AnonymousAuthPlugin": {"allow_anonymous": True},
            },
        }
        self._broker = Broker(config)
        await self._broker.start()
        _LOGGER.info("embedded MQTT broker listening on %s:%d", self.host, self.port)

    async def stop(self) -> None:
        if self._broker is not None:
            await self._broker.shutdown()
            self._broker = None
            _LOGGER.info("embedded MQTT broker stopped")
