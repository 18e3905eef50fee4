"""What the utility-skill tests share: a stand-in device gateway and a context builder."""

from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

from domain.devices import CommandResult, CommandStatus
from domain.home import Home, load_demo_home
from skills.sdk import SkillContext

HOME = load_demo_home()
CST = timezone(timedelta(hours=8))
NOW = datetime(2026, 12, 1, 20, 0, tzinfo=CST)  # Tuesday 20:00


class StandInDevices:
    """A DeviceGateway with no devices: these skills never send a device command."""

    def devices(self):
        return ()

    def state(self, device_id):
        return {}

    async def execute(self, command, timeout):
        return CommandResult(command.device_id, CommandStatus.REJECTED, detail="no devices in this stand-in")


def context(lang: str = "zh", speaker: str = "living_room_speaker", now: datetime = NOW, home: Home = HOME) -> SkillContext:
    return SkillContext(home, StandInDevices(), lang, speaker, home.speakers[speaker].room, time.monotonic() + 5, now)
