"""Audio that cannot be served, or says nothing: a clear turn error or answer, no crash, no leaked utterance."""

from __future__ import annotations

import asyncio

import numpy as np
import pytest
from lingxi.assistant.v1 import assistant_pb2 as pb

from tests.voice.conftest import answers, audio_requests, errors, stream

pytestmark = [pytest.mark.integration, pytest.mark.asyncio(loop_scope="module")]


def _start(rate: int = 16000, channels: int = 1, encoding: str = "pcm_s16le") -> pb.AudioStart:
    return pb.AudioStart(sample_rate_hz=rate, channels=channels, encoding=encoding)


@pytest.mark.parametrize(
    ("start", "says"),
    [
        (_start(encoding="opus"), "encoding"),
        (_start(encoding="pcm_u8"), "encoding"),
        (_start(channels=2), "mono"),
        (_start(rate=4000), "sample rate"),
        (_start(rate=0), "sample rate"),
    ],
)
async def test_an_unsupported_format_is_refused_with_the_reason(voice_lingxi, start, says):
    streamed = await stream(voice_lingxi, audio_requests(None, fmt=start, pcm=b"\0" * 3200, request_id="bad"))
    got = errors(streamed)
    assert [(e.request_id, e.code) for e in got][:1] == [("bad", "INVALID_ARGUMENT")]
    assert says in got[0].message
    assert not answers(streamed)
    assert voice_lingxi.voice.open_turns == 0


async def test_a_wav_header_or_chunks_without_a_start_are_refused(voice_lingxi, voice_cases):
    # a client that sends a WAV file's bytes as chunks without announcing the format
    streamed = await stream(voice_lingxi, [pb.ConverseRequest(audio=pb.AudioChunk(pcm=b"RIFF\x24\x00\x00\x00WAVEfmt "))])
    assert [e.code for e in errors(streamed)] == ["INVALID_ARGUMENT"]
    assert "audio_start" in errors(streamed)[0].message


async def test_a_wrong_declared_rate_is_resampled_and_still_answered(voice_lingxi, voice_cases):
    """16 kHz audio declared as 8 kHz plays at half speed: recognised badly, but answered."""
    await voice_lingxi.reset()
    clip = next(c for c in voice_cases if c.id == "en-01")
    streamed = await stream(voice_lingxi, audio_requests(clip.audio, fmt=_start(rate=8000), lang="en"))
    assert len(answers(streamed)) == 1 and not errors(streamed)
    assert voice_lingxi.voice.open_turns == 0


async def test_silence_only_is_not_heard(voice_lingxi):
    silence = b"\0" * 32000 * 2
    streamed = await stream(voice_lingxi, audio_requests(None, fmt=_start(), pcm=silence, lang="en"))
    (answer,) = answers(streamed)
    assert answer.speech == "Sorry, I didn't catch that." and answer.transcript == "" and not answer.actions
    streamed = await stream(voice_lingxi, audio_requests(None, fmt=_start(), pcm=silence, lang="zh"))
    assert "没听清" in answers(streamed)[0].speech


async def test_a_minute_of_noise_changes_nothing(voice_lingxi):
    await voice_lingxi.reset()
    before = await voice_lingxi.states()
    noise = (np.random.default_rng(7).normal(0, 0.2, 60 * 16000).clip(-1, 1) * 32767).astype("<i2").tobytes()
    streamed = await stream(voice_lingxi, audio_requests(None, fmt=_start(), pcm=noise, lang="zh", chunk_s=0.5))
    assert len(answers(streamed)) == 1 and not errors(streamed)
    final = [e.transcript for e in streamed.events if e.WhichOneof("kind") == "transcript" and e.transcript.final]
    assert final and final[0].end_reason in ("no_speech", "max_length", "silence")
    assert await voice_lingxi.states() == before
    assert voice_lingxi.voice.open_turns == 0


async def test_a_stream_that_goes_quiet_is_answered_after_the_stall_timeout(voice_lingxi, voice_cases):
    await voice_lingxi.reset()
    clip = next(c for c in voice_cases if c.id == "en-07")
    requests: asyncio.Queue = asyncio.Queue()
    for msg in audio_requests(clip.audio, lang="en", end=False):  # no AudioEnd, no trailing silence
        requests.put_nowait(msg)

    async def outgoing():
        while (item := await requests.get()) is not None:
            yield item

    call = voice_lingxi.stub.Converse(outgoing(), timeout=30)
    async for event in call:
        if event.WhichOneof("kind") == "answer":
            break
    assert event.answer.transcript
    assert (await voice_lingxi.states())["balcony_light"]["power"] is True
    requests.put_nowait(None)
    assert voice_lingxi.voice.open_turns == 0


async def test_a_client_that_disconnects_mid_utterance_leaves_nothing_behind(voice_lingxi, voice_cases):
    clip = next(c for c in voice_cases if c.id == "zh-05")
    messages = audio_requests(clip.audio, lang="zh", end=False)[:8]

    async def outgoing():
        for msg in messages:
            yield msg
        await asyncio.sleep(30)  # never closes

    call = voice_lingxi.stub.Converse(outgoing(), timeout=30)
    await asyncio.sleep(0.5)
    assert voice_lingxi.voice.open_turns == 1
    call.cancel()
    for _ in range(50):
        if voice_lingxi.voice.open_turns == 0:
            break
        await asyncio.sleep(0.1)
    assert voice_lingxi.voice.open_turns == 0


async def test_an_unexpected_failure_after_hearing_is_a_turn_error_and_the_stream_goes_on(voice_lingxi, voice_cases, monkeypatch):
    """A bug past the recogniser costs that turn (INTERNAL), not the stream: the next turn is answered."""
    await voice_lingxi.reset()

    async def fake_understood_with_a_bug(heard, home):
        raise RuntimeError("a bug in understanding")

    monkeypatch.setattr(voice_lingxi.voice, "understood", fake_understood_with_a_bug)
    clip = next(c for c in voice_cases if c.id == "en-01")
    messages = audio_requests(clip.audio, lang="en", request_id="broken", end=False, trailing_silence_s=1.0)
    messages.append(pb.ConverseRequest(text=pb.AskRequest(text="turn on the kitchen light", lang="en", request_id="next")))
    streamed = await stream(voice_lingxi, messages)
    assert [(e.request_id, e.code) for e in errors(streamed)] == [("broken", "INTERNAL")]
    (answer,) = answers(streamed)
    assert answer.request_id == "next" and answer.actions
    assert voice_lingxi.voice.open_turns == 0
