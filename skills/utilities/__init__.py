"""Tool skills that need no device: timers, alarms and reminders (with their scheduler and
notifications), calculator, units, time and date, the speaker's own volume."""

from typing import TYPE_CHECKING

from domain.lazy import lazy_exports

if TYPE_CHECKING:
    from skills.utilities.alarms import AlarmSkill
    from skills.utilities.calculator import CalcError, CalculatorSkill
    from skills.utilities.clock import ClockSkill, clock_text, home_clock
    from skills.utilities.notifications import BusOptions, Notification, NotificationBus
    from skills.utilities.scheduler import Health, Scheduler, SchedulerOptions
    from skills.utilities.timers import TimerSkill, duration_text
    from skills.utilities.units import UnitConversionSkill, convert
    from skills.utilities.volume import VolumeSkill

__all__ = ["AlarmSkill", "BusOptions", "CalcError", "CalculatorSkill", "ClockSkill", "Health", "Notification",
           "NotificationBus", "Scheduler", "SchedulerOptions", "TimerSkill", "UnitConversionSkill", "VolumeSkill",
           "clock_text", "convert", "duration_text", "home_clock"]

__getattr__ = lazy_exports(__name__, {
    "alarms": ["AlarmSkill"],
    "calculator": ["CalcError", "CalculatorSkill"],
    "clock": ["ClockSkill", "clock_text", "home_clock"],
    "notifications": ["BusOptions", "Notification", "NotificationBus"],
    "scheduler": ["Health", "Scheduler", "SchedulerOptions"],
    "timers": ["TimerSkill", "duration_text"],
    "units": ["UnitConversionSkill", "convert"],
    "volume": ["VolumeSkill"],
})
