"""Tool skills that need no device: timers, alarms and reminders (with their scheduler and
notifications), calculator, units, time and date, the speaker's own volume."""
