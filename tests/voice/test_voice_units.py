"""The voice modules without a server: formats, resampling, endpointing, backend choice, model assembly, hints, snapping."""

from __future__ import annotations

import io
import wave

import numpy as np
import pytest

from assistant.voice.asr import assemble_model, choose_backend
from assistant.voice.audio import SAMPLE_RATE, AudioFormat, PcmDecoder, check_format, float_to_pcm, pcm_to_float, read_wav
from assistant.voice.endpointing import FRAME, Endpointer, EndpointOptions, EndReason
from assistant.voice.hints import build_hints, normalize_transcript
from assistant.voice.service import VoiceOptions, VoiceService
from assistant.voice.snapping import CommandGrammar
from assistant.voice.utterance import Heard
from domain.errors import ErrorCode, LingxiError


def test_formats():
    assert check_format(AudioFormat(16000, 1, "")).encoding == "pcm_s16le"
    for fmt, says in [(AudioFormat(16000, 2), "mono"), (AudioFormat(96000, 1), "sample rate"), (AudioFormat(16000, 1, "alaw"), "encoding")]:
        with pytest.raises(LingxiError, match=says):
            check_format(fmt)


@pytest.mark.parametrize("rate", [8000, 22050, 44100, 48000])
def test_resampling_keeps_duration_and_pitch_across_odd_chunks(rate):
    t = np.arange(rate) / rate
    pcm = float_to_pcm(0.5 * np.sin(2 * np.pi * 440 * t))
    decoder = PcmDecoder(AudioFormat(rate))
    out = np.concatenate([decoder.decode(pcm[i:i + 999]) for i in range(0, len(pcm), 999)])
    assert abs(out.size - SAMPLE_RATE) <= 2
    spectrum = np.abs(np.fft.rfft(out[:SAMPLE_RATE]))
    assert abs(np.argmax(spectrum) * SAMPLE_RATE / out[:SAMPLE_RATE].size - 440) < 5


def test_wav_files_that_are_not_16_bit_pcm_are_refused():
    buf = io.BytesIO()
    with wave.open(buf, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(1)
        wav.setframerate(16000)
        wav.writeframes(b"\x80" * 1600)
    with pytest.raises(LingxiError, match="8-bit"):
        read_wav(buf.getvalue())
    with pytest.raises(LingxiError, match="not a PCM WAV"):
        read_wav(b"ID3 this is an mp3")


def _run(probabilities, **options):
    ep = Endpointer(EndpointOptions(**options))
    return ep, [ep.update(p) for p in probabilities]


def test_endpointer_start_pause_and_end():
    ep, decisions = _run([0.0] * 5 + [0.9] * 20 + [0.1] * 20, trailing_silence_ms=480, speculate_after_ms=160)
    assert [i for i, d in enumerate(decisions) if d.started] == [6]
    assert ep.speech_start == 5 * FRAME and ep.speech_end == 25 * FRAME
    pauses = [i for i, d in enumerate(decisions) if d.pause]
    ends = [(i, d.end) for i, d in enumerate(decisions) if d.end]
    assert pauses == [25 + 4] and ends[0] == (25 + 14, EndReason.SILENCE)


def test_endpointer_no_speech_and_length_cap():
    _, decisions = _run([0.0] * 200, no_speech_timeout_s=1.0)
    assert next(d.end for d in decisions if d.end) is EndReason.NO_SPEECH
    _, decisions = _run([0.9] * 200, max_utterance_s=2.0)
    assert next(d.end for d in decisions if d.end) is EndReason.MAX_LENGTH
    _, decisions = _run([0.0, 0.9, 0.0, 0.9, 0.0] * 10)  # isolated blips never start speech
    assert not any(d.started for d in decisions)


def test_backend_choice():
    assert choose_backend("auto", True) == "whisper"
    assert choose_backend("auto", False) == "none"
    assert choose_backend("none", True) == "none"
    with pytest.raises(LingxiError) as err:
        choose_backend("whisper", False)
    assert err.value.code is ErrorCode.UNAVAILABLE
    with pytest.raises(LingxiError, match="one of"):
        choose_backend("vosk", True)


def test_the_model_is_assembled_from_the_two_packages_once(tmp_path):
    folder = assemble_model(tmp_path / "whisper")
    model = folder / "model.bin"
    assert model.stat().st_size > 100_000_000 and (folder / "config.json").is_file()
    stamp = model.stat().st_mtime_ns
    assert assemble_model(folder) == folder and model.stat().st_mtime_ns == stamp  # reused, not rebuilt


def test_hints_name_the_homes_devices_in_simplified_chinese(demo_home):
    hints = build_hints(demo_home)
    assert "卧室空调" in hints.prompt("zh") and "bedroom air conditioner" in hints.prompt("en")
    assert normalize_transcript(" 把臥室燈打開。", "zh") == "把卧室灯打开"
    assert normalize_transcript("打开 客厅 的灯", "zh") == "打开客厅的灯"


@pytest.mark.parametrize(
    ("lang", "heard", "snapped"),
    [
        ("zh", "大开我序的灯", "打开卧室灯"),
        ("zh", "关闭个维器", "关闭热水器"),
        ("zh", "空调调到二斐思度", "空调调到二十四度"),
        ("zh", "今天天气怎么样", None),
        ("zh", "打开客厅的灯和电视", None),  # two commands are not squeezed into one
        ("zh", "打开客厅, 卧室", None),  # a room heard exactly is never snapped away ("打开客厅电视")
        ("en", "Turn on the bad room light.", "turn on the bedroom light"),
        ("en", "Turn on the vest lamp.", "turn on the desk lamp"),
        ("en", "what is the weather like today", None),
    ],
)
def test_snapping_to_the_homes_commands(demo_home, lang, heard, snapped):
    snap = CommandGrammar.build(demo_home, lang).snap(heard)
    assert (snap.text if snap else None) == snapped


@pytest.mark.parametrize(
    ("heard", "lang", "kept"),
    [
        ("Turn off the kitchen light. Turn off a kitchen light", "en", "Turn off the kitchen light"),
        # an echo that reverses the command must not run
        ("Turn on the living room light. Turn off the living rooms light.", "en", "Turn on the living room light"),
        ("Turn on the rice cooker. Turn on", "en", "Turn on the rice cooker"),
        ("Turn on the kitchen light. Start the robot vacuum.", "en", "Turn on the kitchen light. Start the robot vacuum"),
        ("打开客厅主灯。打开客厅主灯。", "zh", "打开客厅主灯"),
        ("打开厨房灯。关闭卧室空调。", "zh", "打开厨房灯。关闭卧室空调"),
        ("What is 3.5 plus 2?", "en", "What is 3.5 plus 2"),
    ],
)
def test_whispers_echoes_are_dropped(heard, lang, kept):
    assert normalize_transcript(heard, lang) == kept


def _heard(transcript: str, readings: tuple[str, ...]) -> tuple[Heard, list[int]]:
    """What the recogniser heard, with a fake second decode that returns ``readings`` (the real beam is
    tested below; here the choice among readings is what is under test)."""
    asked: list[int] = []

    async def fake_second_decode(n: int) -> tuple[str, ...]:
        asked.append(n)
        return readings

    return Heard(transcript, "zh", EndReason.SILENCE, 1.5, 100.0, fake_second_decode), asked


async def test_a_mandarin_near_miss_is_decoded_again_and_the_best_reading_snapped(demo_home):
    voice = VoiceService(VoiceOptions(n_best=4))
    heard, asked = _heard("把客厅调掉到20分钟。", ("把客厅调调到门时额图", "把客厅调调到12度"))
    understood = await voice.understood(heard, demo_home)
    assert asked == [4]
    assert understood.text == "把客厅空调调到二十二度" and understood.transcript == "把客厅调掉到20分钟"


async def test_a_clear_command_or_a_question_is_not_decoded_again(demo_home):
    voice = VoiceService(VoiceOptions(n_best=4))
    for transcript, text in (("打开客厅主灯", "打开客厅主灯"), ("现在几点", "现在几点")):
        heard, asked = _heard(transcript, ("关闭阳台灯",))
        assert (await voice.understood(heard, demo_home)).text == text
        assert asked == []


def test_a_partial_decode_yields_to_a_waiting_final_and_the_beam_gives_alternatives(voice_cases):
    from assistant.voice.asr import AsrOptions, WhisperRecognizer

    recognizer = WhisperRecognizer(AsrOptions())
    case = next(c for c in voice_cases if c.audio is not None and c.lang == "en")
    audio = pcm_to_float(read_wav(case.audio)[1])
    recognizer._finals_waiting = 1  # as if a final decode were queued for the decoder
    assert recognizer.transcribe(audio, "en", {}, 4.0, partial=True).text == ""
    recognizer._finals_waiting = 0
    greedy = recognizer.transcribe(audio, "en", {})
    beam = recognizer.transcribe(audio, "en", {}, n_best=3)
    assert greedy.text and greedy.alternatives == ()
    assert len(beam.alternatives) == 3 and beam.text == beam.alternatives[0]
    assert "kitchen" in beam.text.lower()


def test_a_transcript_is_uncertain_past_its_languages_bar():
    from assistant.voice.confidence import Confidence, doubts

    sure = Confidence(avg_logprob=-0.2, no_speech_prob=0.0, compression_ratio=0.8, detected_lang="th", lang_prob=0.02,
                      lang_matches=False)
    # whisper's language ID is not held against Mandarin (it calls short Mandarin Thai), but it is against English
    assert doubts(sure, "打开客厅主灯", "zh", 1.5) == ()
    assert [d.split()[0] for d in doubts(sure, "turn on the kitchen light", "en", 1.5)] == ["en", "declared"]
    english = Confidence(-0.2, 0.0, 0.8, "en", 0.8, True)
    assert doubts(english, "turn on the kitchen light", "en", 1.5) == ()
    # the same words from 0.4 s of speech (audio played 2.76 times too fast): more than anyone says
    assert doubts(english, "turn on the living room light", "en", 0.4) == ("60.0 a second of speech > 32.0",)
    assert doubts(Confidence(-0.9, 0.2, 0.8, "zh", 0.5, True), "关闭阳台灯", "zh", 1.5) == (
        "avg_logprob -0.90 < -0.8", "no_speech_prob 0.20 > 0.05")
    assert doubts(None, "打开客厅主灯", "zh", 1.5) == ()
