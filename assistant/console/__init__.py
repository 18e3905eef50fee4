"""The web console for the people who run and extend Lingxi, served by the service itself.

Try a request (typed, or spoken into the browser's microphone) for a chosen speaking device;
watch every request live with the waterfall of its stages, its intents, route and actions;
watch the home's devices change as they report over MQTT, its scenes, timers and alarms; run a
case file and see the benchmark's figures as charts. Server-rendered pages (Jinja2) with a
little vanilla script, served by uvicorn (Starlette) on the service's own event loop; live
updates are Server-Sent Events, the microphone a WebSocket.

- :class:`ConsoleOptions` — its port (``LINGXI_CONSOLE_PORT``; 0: off), host and sizes
- :class:`assistant.console.server.Console` — start it on a started runtime, stop it before the runtime

Only the options are imported here: the configuration (``Config.console``) imports them, and
the server imports the runtime, which imports the configuration.
"""

from assistant.console.options import ConsoleOptions

__all__ = ["ConsoleOptions"]
