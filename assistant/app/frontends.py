"""The front ends a long-running service adds around its gRPC API: the web console, and (when
configured) the hub's MQTT API and the Wyoming server. ``serve`` starts them; ``chat`` and the
tests do not, so they never compete for these ports."""

from __future__ import annotations

import logging
from contextlib import AsyncExitStack

from assistant.app.config import Config
from assistant.app.serving import Serving
from assistant.console.server import Console

_LOGGER = logging.getLogger(__name__)


async def start_front_ends(instance: Serving, config: Config, stack: AsyncExitStack) -> None:
    """Start each front end the configuration turns on; ``stack`` stops them before the runtime."""
    if config.console.port:
        console = await Console(
            instance.runtime, instance.voice, config.console, tokens=config.server.device_tokens.values()
        ).start()
        stack.push_async_callback(console.stop)
        _LOGGER.info("console on http://%s:%d/", config.console.host, config.console.port)
