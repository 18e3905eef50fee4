"""Home Assistant's side: the ``wyoming`` package's client against Lingxi's Wyoming server."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from wyoming.asr import Transcribe, Transcript
from wyoming.audio import AudioChunk, AudioStart, AudioStop
from wyoming.error import Error
from wyoming.event import Event
from wyoming.handle import Handled, NotHandled
from wyoming.info import Describe, Info
from wyoming.intent import Intent, IntentsStart, IntentsStop, NotRecognized, Recognize

from assistant.voice.audio import read_wav
from testkit.voice_fixtures import missing_tools, synthesise

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="module")]


def audio_events(wav: Path, chunk_s: float = 0.1) -> list[Event]:
    fmt, pcm = read_wav(wav)
    rate, channels = fmt.sample_rate_hz, fmt.channels
    step = int(rate * channels * 2 * chunk_s)
    return [
        AudioStart(rate=rate, width=2, channels=channels).event(),
        *(AudioChunk(rate=rate, width=2, channels=channels, audio=pcm[i:i + step]).event() for i in range(0, len(pcm), step)),
        AudioStop().event(),
    ]


@pytest.fixture(scope="module")
def kitchen_wavs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """"turn on the kitchen light" spoken by espeak-ng: 16 kHz mono, and the same at 48 kHz stereo."""
    if missing_tools():
        pytest.fail(f"the spoken turn needs {', '.join(missing_tools())}: run make setup")
    folder = tmp_path_factory.mktemp("wyoming")
    mono = folder / "kitchen-16k-mono.wav"
    synthesise("turn on the kitchen light", "en", mono)
    stereo = folder / "kitchen-48k-stereo.wav"
    subprocess.run(["sox", "-V1", str(mono), "-r", "48000", "-c", "2", str(stereo)], check=True)
    return {"16k mono": mono, "48k stereo": stereo}


def entities(event: Event) -> tuple[str, dict]:
    intent = Intent.from_event(event)
    return intent.name, {e.name: e.value for e in intent.entities}


async def test_describe_offers_recognition_understanding_and_handling(wyoming):
    [event] = await wyoming.exchange(Describe().event())
    info = Info.from_event(event)
    assert [m.languages for m in info.asr[0].models] == [["zh", "en"]]
    assert [m.languages for m in info.intent[0].models] == [["zh", "en"]]
    assert info.handle[0].supports_home_control is True


@pytest.mark.parametrize("audio", ["16k mono", "48k stereo"])
async def test_a_spoken_command_is_transcribed_then_handled_and_the_light_goes_on(wyoming, kitchen_wavs, audio):
    await wyoming.reset()
    [event] = await wyoming.exchange(Transcribe(language="en").event(), *audio_events(kitchen_wavs[audio]))
    transcript = Transcript.from_event(event)
    assert "kitchen light" in transcript.text.lower(), transcript.text
    assert transcript.language == "en"
    [event] = await wyoming.exchange(Transcript(text=transcript.text, language="en").event())
    assert Handled.is_type(event.type), event
    assert Handled.from_event(event).text == "OK. The kitchen light is on.", transcript.text
    assert (await wyoming.states())["kitchen_light"]["power"] is True


async def test_a_handled_conversation_carries_its_follow_up(wyoming):
    await wyoming.reset()
    [first] = await wyoming.exchange(Transcript(text="打开卧室的灯").event())
    handled = Handled.from_event(first)
    assert "卧室灯" in (handled.text or "")
    conversation = (handled.context or {})["conversation_id"]
    [second] = await wyoming.exchange(Transcript(text="调暗一点", context={"conversation_id": conversation}).event())
    assert Handled.is_type(second.type)
    assert (Handled.from_event(second).context or {})["conversation_id"] == conversation
    states = await wyoming.states()
    assert (states["bedroom_light"]["power"], states["bedroom_light"]["brightness"]) == (True, 60)


@pytest.mark.parametrize("text", ["今天天气怎么样", ""])
async def test_what_lingxi_cannot_handle_is_not_handled(wyoming, text):
    [event] = await wyoming.exchange(Transcript(text=text).event())
    assert NotHandled.is_type(event.type), event
    assert NotHandled.from_event(event).text


@pytest.mark.parametrize(("text", "name", "slots"), [
    ("打开客厅的灯", "HassTurnOn", {"name": "客厅主灯", "area": "客厅"}),
    ("turn off the kitchen light", "HassTurnOff", {"name": "kitchen light", "area": "kitchen"}),
    ("set the bedroom light to 40 percent", "HassLightSet", {"name": "bedroom light", "area": "bedroom", "brightness": 40}),
    ("把客厅灯调成暖光", "HassLightSet", {"name": "客厅主灯", "area": "客厅", "temperature": 2700}),
    ("空调调到二十六度", "HassClimateSetTemperature", {"domain": "climate", "temperature": 26}),
    ("what's the temperature in the bedroom", "HassClimateGetTemperature", {"area": "bedroom"}),
    ("is the kitchen light on", "HassGetState", {"name": "kitchen light", "area": "kitchen"}),
    ("窗帘打开一半", "HassSetPosition", {"domain": "cover", "position": 50}),
    ("打开扫地机", "HassVacuumStart", {"name": "扫地机器人", "area": "客厅"}),
    ("锁门", "HassTurnOn", {"name": "门锁", "area": "玄关"}),
    ("开启睡眠模式", "HassTurnOn", {"name": "睡眠模式", "domain": "scene"}),
    ("定一个一小时二十分钟的计时器", "HassStartTimer", {"hours": 1, "minutes": 20}),
    ("声音小一点", "HassSetVolumeRelative", {"volume_step": "down"}),
    ("现在几点", "HassGetCurrentTime", {}),
])
async def test_recognize_names_home_assistant_intents_and_acts_on_nothing(wyoming, text, name, slots):
    await wyoming.reset()
    [event] = await wyoming.exchange(Recognize(text=text).event())
    assert entities(event) == (name, slots)
    states = await wyoming.states()
    assert states["living_room_main_light"]["power"] is False and states["front_door_lock"]["lock"] == "locked"


async def test_several_commands_are_several_intents(wyoming):
    events = await wyoming.exchange(Recognize(text="打开客厅的灯然后把空调调到二十四度").event(), replies=4)
    assert IntentsStart.is_type(events[0].type) and IntentsStop.is_type(events[3].type)
    assert [entities(e) for e in events[1:3]] == [
        ("HassTurnOn", {"name": "客厅主灯", "area": "客厅"}),
        ("HassClimateSetTemperature", {"domain": "climate", "temperature": 24}),
    ]


@pytest.mark.parametrize(("text", "says"), [
    ("今天天气怎么样", "没听懂"),  # nothing understood
    ("开门", "灵犀"),  # unlocking waits for a confirmation that HA would not ask for
    ("把空调调成制冷模式", "灵犀"),  # HA has no intent for a mode
])
async def test_what_has_no_home_assistant_intent_is_not_recognized(wyoming, text, says):
    [event] = await wyoming.exchange(Recognize(text=text).event())
    assert NotRecognized.is_type(event.type), event
    assert says in (NotRecognized.from_event(event).text or "")


async def test_bad_audio_gets_an_error_and_the_connection_keeps_serving(wyoming):
    chunk = AudioChunk(rate=16000, width=2, channels=1, audio=b"\0" * 3200).event()
    events = await wyoming.exchange(
        chunk, AudioStart(rate=96000, width=2, channels=1).event(), Describe().event(), replies=3
    )
    assert [Error.from_event(e).code for e in events[:2]] == ["INVALID_ARGUMENT", "INVALID_ARGUMENT"]
    assert "audio-start" in Error.from_event(events[0]).text and "96000" in Error.from_event(events[1]).text
    assert Info.is_type(events[2].type)
