"""A transcript Lingxi gave over Wyoming and was unsure of asks before it changes anything (issue 13).

As tests/voice/test_voice_uncertain.py does on the gRPC path: 16 kHz speech declared as 44.1 kHz
(played 2.76 times too fast) and Mandarin read by espeak's English voice both come out of whisper as
fluent commands. Home Assistant hands such a transcript back to be handled on another connection,
with only its text; the answer is a question and no device changes (read back over MQTT) until
"yes" comes back in the same conversation."""

from __future__ import annotations

from pathlib import Path

import pytest
from pypinyin import lazy_pinyin
from wyoming.asr import Transcribe, Transcript
from wyoming.audio import AudioChunk, AudioStart, AudioStop
from wyoming.event import Event
from wyoming.handle import Handled

from assistant.voice.audio import read_wav
from testkit.voice_fixtures import missing_tools, synthesise

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="module")]

ASKED = {"en": "I'm not sure I heard that right. Do you want me to", "zh": "我不太确定听清了，要"}


@pytest.fixture(scope="module")
def wavs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    if missing_tools():
        pytest.fail(f"the spoken turns need {', '.join(missing_tools())}: run make setup")
    folder = tmp_path_factory.mktemp("wyoming-unsure")
    living_room = folder / "living-room.wav"
    synthesise("turn on the living room light", "en", living_room)
    english_voice = folder / "english-voice-mandarin.wav"
    synthesise(" ".join(lazy_pinyin("打开卧室的灯")), "zh", english_voice, voice="en")
    return {"living room": living_room, "english voice": english_voice}


def audio_events(wav: Path, declared_rate: int | None = None) -> list[Event]:
    """The WAV's PCM in 0.1 s chunks, its rate declared as ``declared_rate`` when given (a mislabelled stream)."""
    fmt, pcm = read_wav(wav)
    rate = declared_rate or fmt.sample_rate_hz
    step = fmt.sample_rate_hz * 2 // 10
    return [
        AudioStart(rate=rate, width=2, channels=1).event(),
        *(AudioChunk(rate=rate, width=2, channels=1, audio=pcm[i:i + step]).event() for i in range(0, len(pcm), step)),
        AudioStop().event(),
    ]


async def transcribed(wyoming, events: list[Event], lang: str | None) -> Transcript:
    [event] = await wyoming.exchange(Transcribe(language=lang).event(), *events)
    assert Transcript.is_type(event.type), event
    return Transcript.from_event(event)


async def handled(wyoming, text: str, lang: str | None, conversation: str | None = None) -> Handled:
    context = {"conversation_id": conversation} if conversation else None
    [event] = await wyoming.exchange(Transcript(text=text, language=lang, context=context).event())
    assert Handled.is_type(event.type), event
    return Handled.from_event(event)


def named(wyoming, device_id: str, speech: str) -> bool:
    """Whether ``speech`` names the device (the misheard command may be another one than was said)."""
    device = wyoming.runtime.homes[0].devices[device_id]
    return any(name in speech.lower() for name in device.names.en)


async def test_audio_at_the_wrong_rate_is_asked_about_and_yes_runs_it(wyoming, wavs):
    await wyoming.reset()
    before = await wyoming.states()
    heard = await transcribed(wyoming, audio_events(wavs["living room"], declared_rate=44100), "en")
    asked = await handled(wyoming, heard.text, "en")  # on its own connection, as Home Assistant does
    assert (asked.text or "").startswith(ASKED["en"]) and (asked.text or "").endswith("?"), (heard.text, asked.text)
    assert await wyoming.states() == before

    confirmed = await handled(wyoming, "yes", "en", (asked.context or {})["conversation_id"])
    assert (confirmed.text or "").startswith("OK"), confirmed.text
    changed = [d for d, state in (await wyoming.states()).items() if state != before[d]]
    assert len(changed) == 1 and named(wyoming, changed[0], asked.text or ""), (asked.text, changed)


async def test_mandarin_in_an_english_voice_is_asked_about_and_changes_nothing(wyoming, wavs):
    await wyoming.reset()
    before = await wyoming.states()
    heard = await transcribed(wyoming, audio_events(wavs["english voice"]), None)
    assert heard.language == "en", heard
    asked = await handled(wyoming, heard.text, heard.language)
    assert (asked.text or "").startswith(ASKED["en"]), (heard.text, asked.text)
    assert await wyoming.states() == before


async def test_the_same_words_sent_as_text_run_at_once(wyoming, wavs):
    """Only what Lingxi itself transcribed and doubted is asked about: typed words are taken as they come."""
    await wyoming.reset()
    heard = await transcribed(wyoming, audio_events(wavs["living room"], declared_rate=44100), "en")
    assert ((await handled(wyoming, heard.text, "en")).text or "").startswith(ASKED["en"])
    done = await handled(wyoming, "turn on the living room light", "en")
    assert done.text == "OK. The living room light is on.", done.text
    assert (await wyoming.states())["living_room_main_light"]["power"] is True
