"""Slot extraction per intent family: times and durations, measures, utilities, content."""

from typing import TYPE_CHECKING

from domain.lazy import lazy_exports

if TYPE_CHECKING:
    from intents.slots.content import audio_slots, control_slots, music_slots, product_slots, video_slots, write_slots
    from intents.slots.measure import time_slots, unit_slots, volume_slots
    from intents.slots.time import parse_duration
    from intents.slots.utility import alarm_slots, calc_slots, reminder_slots, timer_slots

__all__ = ["alarm_slots", "audio_slots", "calc_slots", "control_slots", "music_slots", "parse_duration", "product_slots",
           "reminder_slots", "time_slots", "timer_slots", "unit_slots", "video_slots", "volume_slots", "write_slots"]

__getattr__ = lazy_exports(__name__, {
    "content": ["audio_slots", "control_slots", "music_slots", "product_slots", "video_slots", "write_slots"],
    "measure": ["time_slots", "unit_slots", "volume_slots"],
    "time": ["parse_duration"],
    "utility": ["alarm_slots", "calc_slots", "reminder_slots", "timer_slots"],
})
