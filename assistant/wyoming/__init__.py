"""Lingxi as Home Assistant's speech-to-text, intent recognition and conversation agent, over Wyoming."""

from assistant.wyoming.server import WyomingOptions, WyomingServer

__all__ = ["WyomingOptions", "WyomingServer"]
