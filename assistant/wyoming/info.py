"""What the Wyoming server says it is (``describe`` → ``info``): Lingxi's recogniser, understanding and skills."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

from wyoming.info import (
    AsrModel,
    AsrProgram,
    Attribution,
    HandleModel,
    HandleProgram,
    Info,
    IntentModel,
    IntentProgram,
)

LANGUAGES = ["zh", "en"]
ATTRIBUTION = Attribution(name="Lingxi", url="")  # no public home page yet
WHISPER = Attribution(name="OpenAI (whisper), SYSTRAN (faster-whisper)", url="https://github.com/SYSTRAN/faster-whisper")


def _version() -> str | None:
    try:
        return version("lingxi")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return None


def lingxi_info() -> Info:
    own = _version()
    return Info(
        asr=[AsrProgram(
            name="lingxi-asr", attribution=ATTRIBUTION, installed=True, version=own,
            description="Lingxi speech recognition: whisper, with the home's names as hints, snapped to its commands",
            models=[AsrModel(name="whisper-base", attribution=WHISPER, installed=True, description="whisper base (CTranslate2)",
                             version=None, languages=LANGUAGES)],
        )],
        intent=[IntentProgram(
            name="lingxi-intent", attribution=ATTRIBUTION, installed=True, version=own,
            description="Lingxi understanding as Home Assistant intents (HassTurnOn, HassLightSet, ...)",
            models=[IntentModel(name="lingxi-understanding", attribution=ATTRIBUTION, installed=True, version=own,
                                description="rules and the small catalog model, with the home's vocabulary", languages=LANGUAGES)],
        )],
        handle=[HandleProgram(
            name="lingxi", attribution=ATTRIBUTION, installed=True, version=own, supports_home_control=True,
            description="Lingxi answers and acts: devices over MQTT, timers, knowledge, content",
            models=[HandleModel(name="lingxi-skills", attribution=ATTRIBUTION, installed=True, version=own,
                                description="Lingxi's skills", languages=LANGUAGES)],
        )],
    )
