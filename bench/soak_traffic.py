"""The soak test's simulated speakers: what each one says, and how (Ask, Converse text, Converse audio).

Each speaker of a home owns some devices and is the only one to change them, one turn at a
time, so the order of a device's changes is the order its speaker's turns were sent. A
tracked attribute gets a value never asked of it before (see :mod:`bench.soak_checks`).
Besides setting values, speakers set short timers, ask about their devices, speak (WAVs
synthesised at start), release and cancel risky actions, and the second home's speakers now
and then send a session id of the first home, which must be refused. A writer in the first home
asks for poems, stories and general answers, which only the LLM endpoint can give.
"""

from __future__ import annotations

import asyncio
import random
import uuid
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lingxi.assistant.v1 import assistant_pb2 as pb

from assistant.app.chat import audio_messages
from assistant.pipeline.messages import Request
from assistant.voice.audio import AudioFormat, read_wav
from bench.soak_checks import CONFIRMING, GENERATION, PROBE, TRACKED
from bench.soak_homes import ID_PREFIX
from bench.soak_ledger import OK, Clock, Intended, Turn
from bench.soak_link import Link
from domain.home import Home, load_demo_home
from testkit.voice_fixtures import synthesise

#: Demo speaker -> the demo devices it changes.
OWNED = {
    "living_room_speaker": ("living_room_main_light", "living_room_strip", "living_room_curtain", "living_room_tv"),
    "bedroom_speaker": ("bedroom_light", "bedside_lamp", "bedroom_curtain"),
    "kids_room_speaker": ("kids_room_light", "study_desk_lamp"),
}
#: The speaker that releases risky actions, and the one that speaks instead of typing.
RISKY_SPEAKER, AUDIO_SPEAKER = "living_room_speaker", "kids_room_speaker"
#: What is spoken: (text, language, device, power).
SPOKEN = (("打开厨房灯", "zh", "kitchen_light", True), ("关闭厨房灯", "zh", "kitchen_light", False),
          ("turn on the balcony light", "en", "balcony_light", True),
          ("turn off the balcony light", "en", "balcony_light", False))
#: Risky flows: (ask, the device, its risky change, the words that undo it, the undone value).
RISKY_FLOWS = (("打开门锁", "front_door_lock", "unlocked", "锁上门锁", "locked"),
               ("关闭摄像头", "living_room_camera", False, "打开摄像头", True))

#: What the writer asks: texts the local layer reads as gen.write or kb.general_qa, answered by an LLM only.
WRITING = ("写一首关于秋天的短诗", "讲个笑话", "tell me a joke", "天空为什么是蓝色的", "why is the sky blue")
#: The speaker the writer speaks as (first home), and its pause between requests (seconds).
WRITER_SPEAKER, WRITER_PAUSE_S = "bedroom_speaker", (1.0, 3.0)
#: A writer's request deadline: above the service's bound on an LLM call (bench.soak_procs.LLM_TIMEOUT_S).
WRITER_DEADLINE_S = 70.0


@dataclass(frozen=True)
class Clip:
    text: str
    device: str
    power: bool
    fmt: AudioFormat
    pcm: bytes


def make_clips(folder: Path) -> list[Clip]:
    clips = []
    for i, (text, lang, device, power) in enumerate(SPOKEN):
        path = folder / f"spoken-{i}.wav"
        synthesise(text, lang, path)
        fmt, pcm = read_wav(path)
        clips.append(Clip(text, device, power, fmt, pcm))
    return clips


class Values:
    """Per device, every value once in a shuffled round before any comes again, never twice in a row
    (the device would not report a change) and never its initial value (it would look like an undo)."""

    def __init__(self, rng: random.Random) -> None:
        self._rng = rng
        self._left: dict[str, list[int]] = {}
        self._last: dict[str, int] = {}

    def take(self, device: str, initial: Any) -> int:
        if not self._left.get(device):
            values = [v for v in range(5, 96) if v != initial]
            self._rng.shuffle(values)
            if values[-1] == self._last.get(device):
                values.insert(0, values.pop())
            self._left[device] = values
        self._last[device] = self._left[device].pop()
        return self._last[device]


class Shared:
    """What the speakers share: the request budget, the deadline, the last session of each home, the values.

    The traffic goes on past ``until`` while ``faulting``: recovery from the last fault is measured by it.
    """

    def __init__(self, max_requests: int, until: float, rng: random.Random) -> None:
        self.left = max_requests
        self.until = until
        self.faulting = True
        self.values = Values(rng)
        self.sessions: dict[str, str] = {}

    def going(self, now: float) -> bool:
        return self.left > 0 and (now < self.until or self.faulting)


_DEMO = load_demo_home()


def _words(device: str, lang: str) -> str:
    names = _DEMO.devices[device].names
    return (names.zh if lang == "zh" else names.en)[0]


def set_text(device: str, value: int, lang: str) -> str:
    attribute, name = TRACKED[device], _words(device, lang)
    if attribute == "position":
        return f"把{name}开到{value}%"
    if attribute == "volume":
        return f"把{name}音量调到{value}"
    return f"把{name}调到{value}%" if lang == "zh" else f"set the {name} to {value} percent"


class Speaker:
    """One speaker's traffic until the run's deadline or the shared request budget runs out."""

    def __init__(self, link: Link, home: Home, demo_id: str, clips: list[Clip], shared: Shared, rng: random.Random,
                 clock: Clock) -> None:
        self.link = link
        self.home = home
        self._prefix = "" if demo_id in home.speakers else ID_PREFIX
        self._demo_id = demo_id
        self._clips = clips if demo_id == AUDIO_SPEAKER else []
        self._shared = shared
        self._rng = rng
        self._clock = clock
        self.session = ""

    def _device(self, demo_device: str) -> str:
        return self._prefix + demo_device

    async def run(self) -> None:
        actions: list[tuple[Callable[[], Coroutine[Any, Any, None]], float]] = [
            (self._set_value, 5.0), (self._timer, 1.0), (self._query, 1.0)]
        if self._clips:
            actions.append((self._speak, 2.0))
        if self._demo_id == RISKY_SPEAKER:
            actions.append((self._risky, 1.5))
        if self._prefix:
            actions.append((self._probe, 0.3))
        while self._shared.going(self._clock()):
            if not self.link.streaming:  # a (re)opened stream hears its home from its first turn on
                await self._turn("几点了", "hello", way="converse")
            else:
                await self._rng.choices([a for a, _ in actions], [w for _, w in actions])[0]()
            await asyncio.sleep(self._rng.uniform(0.2, 1.2))

    async def _turn(self, text: str, purpose: str, intended: Intended | None = None, way: str = "") -> Turn:
        self._shared.left -= 1
        request = self.link.request(text, self.session)
        if (way or self._rng.choice(("ask", "converse"))) == "ask":
            turn = await self.link.ask(request, purpose, intended)
        else:
            turn = await self.link.converse([pb.ConverseRequest(text=request)], request.request_id, text, purpose, intended)
        self._remember(turn)
        return turn

    def _remember(self, turn: Turn) -> None:
        if turn.code == OK and turn.answer is not None:
            self.session = turn.answer.session_id
            if not self._prefix:
                self._shared.sessions[self.home.id] = self.session

    async def _set_value(self) -> None:
        device = self._rng.choice(OWNED[self._demo_id])
        value = self._shared.values.take(self._device(device), _DEMO.devices[device].initial_state[TRACKED[device]])
        lang = "en" if TRACKED[device] == "brightness" and self._rng.random() < 0.3 else "zh"
        await self._turn(set_text(device, value, lang), "set", Intended(self._device(device), TRACKED[device], value))

    async def _timer(self) -> None:
        seconds = self._rng.randint(3, 8)
        text = f"设一个{seconds}秒的计时器" if self._rng.random() < 0.7 else f"set a timer for {seconds} seconds"
        await self._turn(text, "timer")

    async def _query(self) -> None:
        device = self._rng.choice(OWNED[self._demo_id])
        await self._turn(f"{_words(device, 'zh')}现在是什么状态", "query", way="ask")

    async def _speak(self) -> None:
        clip = self._rng.choice(self._clips)
        request_id = uuid.uuid4().hex
        request = Request("", self.link.speaker, request_id, self.session)
        self._shared.left -= 1
        turn = await self.link.converse(audio_messages(clip.fmt, clip.pcm, request), request_id, clip.text, "spoken",
                                        Intended(self._device(clip.device), "power", clip.power), timeout=30.0)
        self._remember(turn)

    async def _risky(self) -> None:
        ask, device, value, undo, undone = self._rng.choice(RISKY_FLOWS)
        way = self._rng.choice(("ask", "converse"))
        turn = await self._turn(ask, "risky_ask", way=way)
        if turn.answer is None or turn.answer.awaiting != "confirmation":
            return
        attribute = TRACKED[device]
        if self._rng.random() < 0.3:
            await self._turn("不用了", "cancel", way=way)
            await self._turn("确定", "after_cancel", way=way)
            return
        await self._turn("确定", CONFIRMING, Intended(self._device(device), attribute, value), way=way)
        # undone whatever the confirmation's outcome: one whose answer was lost may still have acted
        await self._turn(undo, "undo", Intended(self._device(device), attribute, undone), way=way)

    async def _probe(self) -> None:
        other = next((s for h, s in self._shared.sessions.items() if h != self.home.id), "")
        if other:
            self._shared.left -= 1
            await self.link.ask(self.link.request("打开客厅主灯", other), PROBE)


class Writer:
    """Asks for LLM-written text, one ``Ask`` at a time with a short pause, so an LLM outage and its end are seen."""

    def __init__(self, link: Link, shared: Shared, rng: random.Random, clock: Clock) -> None:
        self.link = link
        self._shared = shared
        self._rng = rng
        self._clock = clock

    async def run(self) -> None:
        while self._shared.going(self._clock()):
            self._shared.left -= 1
            await self.link.ask(self.link.request(self._rng.choice(WRITING), ""), GENERATION, timeout=WRITER_DEADLINE_S)
            await asyncio.sleep(self._rng.uniform(*WRITER_PAUSE_S))
