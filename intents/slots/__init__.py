"""Slot extraction per intent family: times and durations, measures, utilities, content."""
