"""A timer asked for while Redis stalls gets an honest answer, not the generic error (found by the soak)."""

from __future__ import annotations

import time

from domain.errors import StateUnavailable
from domain.home import load_demo_home
from intents.types import Intent, IntentSource
from skills.sdk import ActionStatus, SkillContext
from skills.utilities.alarms import AlarmSkill
from skills.utilities.notifications import NotificationBus
from skills.utilities.scheduler import Scheduler
from skills.utilities.timers import TimerSkill


class FakeStalledStore:
    """A state store whose backend does not answer: every call raises StateUnavailable, as Redis's does."""

    def __getattr__(self, name: str):
        async def unavailable(*args, **kwargs):
            raise StateUnavailable("read", "redis did not answer within 1 s")

        return unavailable


def context() -> SkillContext:
    return SkillContext(load_demo_home(), None, "zh", "living_room_speaker", "living_room",  # type: ignore[arg-type]
                        time.monotonic() + 5)


async def test_a_timer_while_the_store_is_down_is_an_honest_failure():
    scheduler = Scheduler(NotificationBus(), FakeStalledStore())  # type: ignore[arg-type]
    result = await TimerSkill(scheduler).handle(Intent("timer.set", {"duration": 360}, 0.95, IntentSource.RULES), context())
    assert "存储暂时不可用" in result.speech
    assert [a.status for a in result.actions] == [ActionStatus.FAILED]


async def test_an_alarm_while_the_store_is_down_is_an_honest_failure():
    scheduler = Scheduler(NotificationBus(), FakeStalledStore())  # type: ignore[arg-type]
    result = await AlarmSkill(scheduler).handle(Intent("alarm.query", {}, 0.95, IntentSource.RULES), context())
    assert "存储暂时不可用" in result.speech
