"""Audio in: formats and resampling, voice activity and end of utterance, whisper recognition with
the home's words as hints, and snapping a near-miss transcript to a command the home understands."""

from typing import TYPE_CHECKING

from domain.lazy import lazy_exports

if TYPE_CHECKING:
    from assistant.voice.asr import AsrOptions, WhisperRecognizer, assemble_model, choose_backend, default_model_dir
    from assistant.voice.audio import (
        SAMPLE_RATE,
        AudioFormat,
        PcmDecoder,
        check_format,
        float_to_pcm,
        pcm_to_float,
        read_wav,
    )
    from assistant.voice.endpointing import FRAME, Endpointer, EndpointOptions, EndReason
    from assistant.voice.hints import build_hints, normalize_transcript
    from assistant.voice.service import (
        VoiceOptions,
        VoiceService,
        VoiceTurn,
        answer_audio,
        not_heard,
        voice_options,
        voice_request,
        with_transcript,
    )
    from assistant.voice.snapping import CommandGrammar
    from assistant.voice.utterance import Heard, PartialTranscript

__all__ = ["FRAME", "SAMPLE_RATE", "AsrOptions", "AudioFormat", "CommandGrammar", "EndReason", "EndpointOptions",
           "Endpointer", "Heard", "PartialTranscript", "PcmDecoder", "VoiceOptions", "VoiceService", "VoiceTurn",
           "WhisperRecognizer", "answer_audio", "assemble_model", "build_hints", "check_format", "choose_backend",
           "default_model_dir", "float_to_pcm", "normalize_transcript", "not_heard", "pcm_to_float", "read_wav",
           "voice_options", "voice_request", "with_transcript"]

__getattr__ = lazy_exports(__name__, {
    "asr": ["AsrOptions", "WhisperRecognizer", "assemble_model", "choose_backend", "default_model_dir"],
    "audio": ["SAMPLE_RATE", "AudioFormat", "PcmDecoder", "check_format", "float_to_pcm", "pcm_to_float", "read_wav"],
    "endpointing": ["FRAME", "EndReason", "EndpointOptions", "Endpointer"],
    "hints": ["build_hints", "normalize_transcript"],
    "service": ["VoiceOptions", "VoiceService", "VoiceTurn", "answer_audio", "not_heard", "voice_options", "voice_request",
                "with_transcript"],
    "snapping": ["CommandGrammar"],
    "utterance": ["Heard", "PartialTranscript"],
})
