"""One Wyoming connection: describe, speech to text, intent recognition and handling.

* ``describe`` → ``info``.
* ``transcribe``? + ``audio-start``, ``audio-chunk``…, ``audio-stop`` → ``transcript``: the audio
  (16-bit, any channels and an 8-48 kHz rate: made mono here and 16 kHz by the voice path)
  goes through Lingxi's recogniser with the home's hints, and the transcript is what Lingxi would
  understand (simplified Chinese, snapped to the home's commands when near one); ``error`` when
  it cannot be recognised. Whether the recogniser was sure of it is kept by its text
  (:mod:`assistant.wyoming.heard`).
* ``recognize`` → ``intent`` (several: ``intents-start``, ``intent``…, ``intents-stop``) in Home
  Assistant's terms (:mod:`assistant.wyoming.ha_intents`), or ``not-recognized``; nothing is run.
* ``transcript`` → ``handled`` with Lingxi's spoken answer (the pipeline ran: devices changed), or
  ``not-handled`` when nothing was understood or the request was refused. The answer's
  ``context.conversation_id`` is Lingxi's session: sent back, it carries follow-ups. A transcript
  Lingxi gave and was unsure of (audio at the wrong rate, another language's voice) may read state,
  but a change to a device is asked back as a question first, as on the gRPC voice path.

Every request speaks as one configured speaking device, whose home and room scope it. Events
of other kinds are ignored, as the protocol asks.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from dataclasses import dataclass, field
from typing import Any

from wyoming.asr import Transcribe, Transcript
from wyoming.audio import AudioChunk, AudioStart, AudioStop
from wyoming.error import Error
from wyoming.event import Event
from wyoming.handle import Handled, NotHandled
from wyoming.info import Describe
from wyoming.intent import Entity, Intent, IntentsStart, IntentsStop, NotRecognized, Recognize
from wyoming.server import AsyncEventHandler

from assistant.api.convert import LANGS, parse_id
from assistant.pipeline.homes import HomeBridge
from assistant.pipeline.messages import Request
from assistant.pipeline.pipeline import Pipeline
from assistant.pipeline.understanding import HomeUnderstanding
from assistant.voice.audio import AudioFormat
from assistant.voice.endpointing import EndReason
from assistant.voice.service import VoiceService, VoiceTurn
from assistant.wyoming.audio import MonoDownmix
from assistant.wyoming.ha_intents import HaIntentMapper
from assistant.wyoming.heard import RecentTranscripts
from domain.errors import ErrorCode, LingxiError, invalid_argument
from intents.types import UnderstandingContext

_LOGGER = logging.getLogger(__name__)

NOT_UNDERSTOOD = {"zh": "抱歉，我没听懂", "en": "Sorry, I didn't understand that."}
NO_HA_INTENT = {
    "zh": "这个 Home Assistant 没有对应的指令，请让灵犀来处理",
    "en": "Home Assistant has no intent for that; let Lingxi handle it.",
}
OUT_OF_SCOPE = "out_of_scope"


@dataclass(frozen=True)
class Served:
    """What every connection serves from; requests speak as ``speaker_id``."""

    pipeline: Pipeline
    voice: VoiceService
    understanding: HomeUnderstanding
    devices: HomeBridge
    speaker_id: str
    #: Transcripts given on any connection, for the ``transcript`` event that brings one back.
    transcripts: RecentTranscripts = field(default_factory=RecentTranscripts)


def wyoming_lang(code: str | None) -> str | None:
    """``zh-CN``, ``zh``, ``en-US``… as Lingxi's language; ``None`` (detect) for any other."""
    lang = (code or "").split("-")[0].split("_")[0].lower()
    return lang if lang in LANGS else None


class LingxiHandler(AsyncEventHandler):
    def __init__(self, served: Served, info: Event, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        super().__init__(reader, writer)
        self._served = served
        self._info = info
        self._lang: str | None = None
        self._turn: VoiceTurn | None = None
        self._downmix = MonoDownmix(2, 1)

    async def handle_event(self, event: Event) -> bool:
        try:
            await self._dispatch(event)
        except LingxiError as err:
            await self.write_event(Error(text=err.message, code=err.code.value).event())
        except Exception:
            _LOGGER.exception("wyoming: %s failed", event.type)
            await self.write_event(Error(text="internal error; see the server log", code=ErrorCode.INTERNAL.value).event())
        return True

    async def disconnect(self) -> None:
        self._close_turn()

    async def _dispatch(self, event: Event) -> None:
        if Describe.is_type(event.type):
            await self.write_event(self._info)
        elif Transcribe.is_type(event.type):
            self._lang = wyoming_lang(Transcribe.from_event(event).language)
        elif AudioStart.is_type(event.type):
            await self._start_audio(AudioStart.from_event(event))
        elif AudioChunk.is_type(event.type):
            if self._turn is None:
                raise invalid_argument("audio-chunk before audio-start")
            self._turn.feed(self._downmix(AudioChunk.from_event(event).audio))
        elif AudioStop.is_type(event.type):
            await self._transcribe()
        elif Recognize.is_type(event.type):
            await self._recognize(Recognize.from_event(event))
        elif Transcript.is_type(event.type):
            await self._handle(Transcript.from_event(event))

    def _request(self, text: str = "", session_id: str = "", lang: str | None = None, uncertain: bool = False) -> Request:
        return Request(text, self._served.speaker_id, uuid.uuid4().hex, session_id, lang, uncertain=uncertain)

    async def _start_audio(self, start: AudioStart) -> None:
        self._close_turn()
        served = self._served
        home, _ = served.pipeline.homes.speaker(served.speaker_id)
        self._downmix = MonoDownmix(start.width, start.channels)  # mono here; the voice path resamples
        self._turn = await served.voice.open(self._request(lang=self._lang), home, AudioFormat(start.rate, 1), streaming=False)

    async def _transcribe(self) -> None:
        turn, self._turn = self._turn, None
        if turn is None:
            raise invalid_argument("audio-stop before audio-start")
        try:
            heard = await turn.finish(EndReason.CLIENT)
        finally:
            turn.close()
        understood = await self._served.voice.understood(heard, turn.home)
        self._served.transcripts.given(understood.text, understood.uncertain)
        await self.write_event(Transcript(text=understood.text, language=heard.lang or self._lang).event())

    async def _recognize(self, recognize: Recognize) -> None:
        served = self._served
        home, _ = served.pipeline.homes.speaker(served.speaker_id)
        devices = served.devices.devices(home.id)
        understanding = served.understanding.understand(recognize.text, home, devices, UnderstandingContext())
        lang = understanding.lang or "zh"
        intents = [i for i in understanding.intents if i.name != OUT_OF_SCOPE]
        if not recognize.text.strip() or not intents:
            await self.write_event(NotRecognized(text=NOT_UNDERSTOOD[lang], context=recognize.context).event())
            return
        mapper = HaIntentMapper(home, devices)
        calls = [mapper.map(intent, lang) for intent in intents]
        if any(call is None for call in calls):
            await self.write_event(NotRecognized(text=NO_HA_INTENT[lang], context=recognize.context).event())
            return
        events = [
            Intent(name=call.name, entities=[Entity(k, v) for k, v in call.slots.items()], context=recognize.context).event()
            for call in calls if call is not None
        ]
        if len(events) > 1:
            events = [IntentsStart(context=recognize.context).event(), *events, IntentsStop(context=recognize.context).event()]
        for out in events:
            await self.write_event(out)

    async def _handle(self, transcript: Transcript) -> None:
        context: dict[str, Any] = dict(transcript.context or {})
        try:
            session = context.get("conversation_id")
            session_id = parse_id("conversation_id", session) if isinstance(session, str) else ""
            uncertain = self._served.transcripts.uncertain(transcript.text)
            request = self._request(transcript.text, session_id, wyoming_lang(transcript.language), uncertain)
            answer = await self._served.pipeline.run(request)
        except LingxiError as err:
            await self.write_event(NotHandled(text=err.message, context=context).event())
            return
        reply = {**context, "conversation_id": answer.session_id}
        if all(intent.name == OUT_OF_SCOPE for intent in answer.intents):
            await self.write_event(NotHandled(text=answer.speech, context=reply).event())
        else:
            await self.write_event(Handled(text=answer.speech, context=reply).event())

    def _close_turn(self) -> None:
        if self._turn is not None:
            self._turn.close()
            self._turn = None
