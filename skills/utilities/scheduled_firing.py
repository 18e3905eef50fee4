"""What a scheduled device command does when it falls due: the scheduler's action for kind ``scheduled``.

It runs through the device skill, the very path of a spoken command (targets, the change, the
safety gate, the device execution of skills/devices/execution.py), checked against the home as
it is now: a device that is gone is said to be gone, and a change the gate holds for a
confirmation is not made (nobody confirmed it at this moment). One that is due long after its
time (the service was down) is not made late either: turning the lights off at 7 am because
the 11 pm command was missed would surprise more than help. What happened is what the home's
speakers hear ("已按计划关掉了客厅主灯").
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from datetime import datetime

from domain.home import Home
from intents.types import Intent, IntentSource
from skills.sdk import ActionStatus, DeviceGateway, Skill, SkillContext, SkillResult
from skills.utilities.entries import Entry
from skills.utilities.scheduled import entry_devices
from skills.utilities.scheduled_words import done_speech, failed_speech, late_speech, unrun_speech

_LOGGER = logging.getLogger(__name__)

#: A command due longer ago than this is not made.
LATE_S = 15 * 60.0


class ScheduledFiring:
    """Runs due scheduled commands in ``homes`` through ``devices`` (the device skill) on ``gateway(home_id)``.

    ``timeout_s`` bounds the device commands of one firing, as a request's deadline bounds a spoken one.
    """

    def __init__(self, homes: Mapping[str, Home], gateway: Callable[[str], DeviceGateway], devices: Skill,
                 timeout_s: float = 5.0, late_s: float = LATE_S) -> None:
        self._homes = homes
        self._gateway = gateway
        self._devices = devices
        self._timeout_s = timeout_s
        self._late_s = late_s

    async def fire(self, entry: Entry, now: datetime) -> str:
        """Run ``entry``'s command now; returns what the home is told."""
        lang, content = entry.lang, entry.content
        home = self._homes.get(entry.home_id)
        if home is None:
            _LOGGER.error("scheduled %s is for home %s, which this instance does not serve", entry.id, entry.home_id)
            return unrun_speech(content, lang)
        late = now.timestamp() - entry.at.timestamp()
        if late > self._late_s:
            _LOGGER.warning("scheduled %s of home %s is %.0f s late: not run", entry.id, home.id, late)
            return late_speech(content, lang)
        gateway = self._gateway(home.id)
        known = {d.id for d in gateway.devices()}
        if not entry_devices(entry) or any(d not in known for d in entry_devices(entry)):
            _LOGGER.warning("scheduled %s of home %s: device %s is gone", entry.id, home.id, entry_devices(entry))
            return failed_speech(content, "找不到这个设备了" if lang == "zh" else "the device is no longer there", lang)
        speaker = home.speakers.get(entry.speaker_id)
        ctx = SkillContext(home, gateway, lang, entry.speaker_id, speaker.room if speaker else "",
                           time.monotonic() + self._timeout_s, now.astimezone(home.zone))
        intent = Intent(str(entry.command["intent"]), dict(entry.command["slots"]), 1.0, IntentSource.RULES, content)
        try:
            result = await self._devices.handle(intent, ctx)
        except Exception:  # one broken command must not silence the others, nor the scheduler
            _LOGGER.exception("scheduled %s of home %s failed", entry.id, home.id)
            return failed_speech(content, "出错了" if lang == "zh" else "something went wrong", lang)
        return _told(result, content, lang, entry)


def _told(result: SkillResult, content: str, lang: str, entry: Entry) -> str:
    statuses = [a.status for a in result.actions]
    _LOGGER.info("scheduled %s of home %s ran: %s", entry.id, entry.home_id, ", ".join(statuses) or "nothing")
    if result.pending:  # the gate holds it now: a confirmation given at another moment does not count
        why = "这需要当场确认，所以没有执行" if lang == "zh" else "it needs your confirmation at the moment it happens"
        return failed_speech(content, why, lang)
    if statuses and all(s == ActionStatus.DONE for s in statuses):
        return done_speech(content, lang)
    return failed_speech(content, result.speech, lang)
