from google.protobuf.internal import containers as _containers
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class AskRequest(_message.Message):
    __slots__ = ("text", "device_id", "session_id", "lang", "client_time", "request_id", "plan_only")
    TEXT_FIELD_NUMBER: _ClassVar[int]
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    LANG_FIELD_NUMBER: _ClassVar[int]
    CLIENT_TIME_FIELD_NUMBER: _ClassVar[int]
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    PLAN_ONLY_FIELD_NUMBER: _ClassVar[int]
    text: str
    device_id: str
    session_id: str
    lang: str
    client_time: str
    request_id: str
    plan_only: bool
    def __init__(self, text: _Optional[str] = ..., device_id: _Optional[str] = ..., session_id: _Optional[str] = ..., lang: _Optional[str] = ..., client_time: _Optional[str] = ..., request_id: _Optional[str] = ..., plan_only: _Optional[bool] = ...) -> None: ...

class AudioStart(_message.Message):
    __slots__ = ("sample_rate_hz", "channels", "encoding", "context")
    SAMPLE_RATE_HZ_FIELD_NUMBER: _ClassVar[int]
    CHANNELS_FIELD_NUMBER: _ClassVar[int]
    ENCODING_FIELD_NUMBER: _ClassVar[int]
    CONTEXT_FIELD_NUMBER: _ClassVar[int]
    sample_rate_hz: int
    channels: int
    encoding: str
    context: AskRequest
    def __init__(self, sample_rate_hz: _Optional[int] = ..., channels: _Optional[int] = ..., encoding: _Optional[str] = ..., context: _Optional[_Union[AskRequest, _Mapping]] = ...) -> None: ...

class AudioChunk(_message.Message):
    __slots__ = ("pcm",)
    PCM_FIELD_NUMBER: _ClassVar[int]
    pcm: bytes
    def __init__(self, pcm: _Optional[bytes] = ...) -> None: ...

class AudioEnd(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class ConverseRequest(_message.Message):
    __slots__ = ("text", "audio_start", "audio", "audio_end")
    TEXT_FIELD_NUMBER: _ClassVar[int]
    AUDIO_START_FIELD_NUMBER: _ClassVar[int]
    AUDIO_FIELD_NUMBER: _ClassVar[int]
    AUDIO_END_FIELD_NUMBER: _ClassVar[int]
    text: AskRequest
    audio_start: AudioStart
    audio: AudioChunk
    audio_end: AudioEnd
    def __init__(self, text: _Optional[_Union[AskRequest, _Mapping]] = ..., audio_start: _Optional[_Union[AudioStart, _Mapping]] = ..., audio: _Optional[_Union[AudioChunk, _Mapping]] = ..., audio_end: _Optional[_Union[AudioEnd, _Mapping]] = ...) -> None: ...

class Input(_message.Message):
    __slots__ = ("text", "lang", "speaker")
    TEXT_FIELD_NUMBER: _ClassVar[int]
    LANG_FIELD_NUMBER: _ClassVar[int]
    SPEAKER_FIELD_NUMBER: _ClassVar[int]
    text: str
    lang: str
    speaker: str
    def __init__(self, text: _Optional[str] = ..., lang: _Optional[str] = ..., speaker: _Optional[str] = ...) -> None: ...

class Intent(_message.Message):
    __slots__ = ("name", "confidence", "source", "slots", "text")
    class SlotsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: Value
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[Value, _Mapping]] = ...) -> None: ...
    NAME_FIELD_NUMBER: _ClassVar[int]
    CONFIDENCE_FIELD_NUMBER: _ClassVar[int]
    SOURCE_FIELD_NUMBER: _ClassVar[int]
    SLOTS_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    name: str
    confidence: float
    source: str
    slots: _containers.MessageMap[str, Value]
    text: str
    def __init__(self, name: _Optional[str] = ..., confidence: _Optional[float] = ..., source: _Optional[str] = ..., slots: _Optional[_Mapping[str, Value]] = ..., text: _Optional[str] = ...) -> None: ...

class Value(_message.Message):
    __slots__ = ("string_value", "number_value", "bool_value", "int_value")
    STRING_VALUE_FIELD_NUMBER: _ClassVar[int]
    NUMBER_VALUE_FIELD_NUMBER: _ClassVar[int]
    BOOL_VALUE_FIELD_NUMBER: _ClassVar[int]
    INT_VALUE_FIELD_NUMBER: _ClassVar[int]
    string_value: str
    number_value: float
    bool_value: bool
    int_value: int
    def __init__(self, string_value: _Optional[str] = ..., number_value: _Optional[float] = ..., bool_value: _Optional[bool] = ..., int_value: _Optional[int] = ...) -> None: ...

class Action(_message.Message):
    __slots__ = ("device", "command", "params", "status", "detail")
    class ParamsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: Value
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[Value, _Mapping]] = ...) -> None: ...
    DEVICE_FIELD_NUMBER: _ClassVar[int]
    COMMAND_FIELD_NUMBER: _ClassVar[int]
    PARAMS_FIELD_NUMBER: _ClassVar[int]
    STATUS_FIELD_NUMBER: _ClassVar[int]
    DETAIL_FIELD_NUMBER: _ClassVar[int]
    device: str
    command: str
    params: _containers.MessageMap[str, Value]
    status: str
    detail: str
    def __init__(self, device: _Optional[str] = ..., command: _Optional[str] = ..., params: _Optional[_Mapping[str, Value]] = ..., status: _Optional[str] = ..., detail: _Optional[str] = ...) -> None: ...

class Route(_message.Message):
    __slots__ = ("tier", "reason")
    TIER_FIELD_NUMBER: _ClassVar[int]
    REASON_FIELD_NUMBER: _ClassVar[int]
    tier: str
    reason: str
    def __init__(self, tier: _Optional[str] = ..., reason: _Optional[str] = ...) -> None: ...

class Answer(_message.Message):
    __slots__ = ("request_id", "session_id", "input", "transcript", "intents", "actions", "speech", "awaiting", "route", "timings_ms", "home_id", "media", "citations")
    class TimingsMsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: float
        def __init__(self, key: _Optional[str] = ..., value: _Optional[float] = ...) -> None: ...
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    INPUT_FIELD_NUMBER: _ClassVar[int]
    TRANSCRIPT_FIELD_NUMBER: _ClassVar[int]
    INTENTS_FIELD_NUMBER: _ClassVar[int]
    ACTIONS_FIELD_NUMBER: _ClassVar[int]
    SPEECH_FIELD_NUMBER: _ClassVar[int]
    AWAITING_FIELD_NUMBER: _ClassVar[int]
    ROUTE_FIELD_NUMBER: _ClassVar[int]
    TIMINGS_MS_FIELD_NUMBER: _ClassVar[int]
    HOME_ID_FIELD_NUMBER: _ClassVar[int]
    MEDIA_FIELD_NUMBER: _ClassVar[int]
    CITATIONS_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    session_id: str
    input: Input
    transcript: str
    intents: _containers.RepeatedCompositeFieldContainer[Intent]
    actions: _containers.RepeatedCompositeFieldContainer[Action]
    speech: str
    awaiting: str
    route: Route
    timings_ms: _containers.ScalarMap[str, float]
    home_id: str
    media: Media
    citations: _containers.RepeatedCompositeFieldContainer[Citation]
    def __init__(self, request_id: _Optional[str] = ..., session_id: _Optional[str] = ..., input: _Optional[_Union[Input, _Mapping]] = ..., transcript: _Optional[str] = ..., intents: _Optional[_Iterable[_Union[Intent, _Mapping]]] = ..., actions: _Optional[_Iterable[_Union[Action, _Mapping]]] = ..., speech: _Optional[str] = ..., awaiting: _Optional[str] = ..., route: _Optional[_Union[Route, _Mapping]] = ..., timings_ms: _Optional[_Mapping[str, float]] = ..., home_id: _Optional[str] = ..., media: _Optional[_Union[Media, _Mapping]] = ..., citations: _Optional[_Iterable[_Union[Citation, _Mapping]]] = ...) -> None: ...

class Media(_message.Message):
    __slots__ = ("id", "kind", "title", "artist", "queue", "episode", "state", "device", "position_s")
    ID_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    TITLE_FIELD_NUMBER: _ClassVar[int]
    ARTIST_FIELD_NUMBER: _ClassVar[int]
    QUEUE_FIELD_NUMBER: _ClassVar[int]
    EPISODE_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    DEVICE_FIELD_NUMBER: _ClassVar[int]
    POSITION_S_FIELD_NUMBER: _ClassVar[int]
    id: str
    kind: str
    title: str
    artist: _containers.RepeatedScalarFieldContainer[str]
    queue: _containers.RepeatedScalarFieldContainer[str]
    episode: int
    state: str
    device: str
    position_s: float
    def __init__(self, id: _Optional[str] = ..., kind: _Optional[str] = ..., title: _Optional[str] = ..., artist: _Optional[_Iterable[str]] = ..., queue: _Optional[_Iterable[str]] = ..., episode: _Optional[int] = ..., state: _Optional[str] = ..., device: _Optional[str] = ..., position_s: _Optional[float] = ...) -> None: ...

class Citation(_message.Message):
    __slots__ = ("doc", "section")
    DOC_FIELD_NUMBER: _ClassVar[int]
    SECTION_FIELD_NUMBER: _ClassVar[int]
    doc: str
    section: str
    def __init__(self, doc: _Optional[str] = ..., section: _Optional[str] = ...) -> None: ...

class PartialAnswer(_message.Message):
    __slots__ = ("request_id", "text")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    text: str
    def __init__(self, request_id: _Optional[str] = ..., text: _Optional[str] = ...) -> None: ...

class StageEvent(_message.Message):
    __slots__ = ("request_id", "stage", "phase", "elapsed_ms")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    STAGE_FIELD_NUMBER: _ClassVar[int]
    PHASE_FIELD_NUMBER: _ClassVar[int]
    ELAPSED_MS_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    stage: str
    phase: str
    elapsed_ms: float
    def __init__(self, request_id: _Optional[str] = ..., stage: _Optional[str] = ..., phase: _Optional[str] = ..., elapsed_ms: _Optional[float] = ...) -> None: ...

class TurnError(_message.Message):
    __slots__ = ("request_id", "code", "message")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    CODE_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    code: str
    message: str
    def __init__(self, request_id: _Optional[str] = ..., code: _Optional[str] = ..., message: _Optional[str] = ...) -> None: ...

class Notification(_message.Message):
    __slots__ = ("kind", "label", "speech", "at", "device_id")
    KIND_FIELD_NUMBER: _ClassVar[int]
    LABEL_FIELD_NUMBER: _ClassVar[int]
    SPEECH_FIELD_NUMBER: _ClassVar[int]
    AT_FIELD_NUMBER: _ClassVar[int]
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    kind: str
    label: str
    speech: str
    at: str
    device_id: str
    def __init__(self, kind: _Optional[str] = ..., label: _Optional[str] = ..., speech: _Optional[str] = ..., at: _Optional[str] = ..., device_id: _Optional[str] = ...) -> None: ...

class PartialTranscript(_message.Message):
    __slots__ = ("request_id", "text", "final", "audio_s", "end_reason")
    REQUEST_ID_FIELD_NUMBER: _ClassVar[int]
    TEXT_FIELD_NUMBER: _ClassVar[int]
    FINAL_FIELD_NUMBER: _ClassVar[int]
    AUDIO_S_FIELD_NUMBER: _ClassVar[int]
    END_REASON_FIELD_NUMBER: _ClassVar[int]
    request_id: str
    text: str
    final: bool
    audio_s: float
    end_reason: str
    def __init__(self, request_id: _Optional[str] = ..., text: _Optional[str] = ..., final: _Optional[bool] = ..., audio_s: _Optional[float] = ..., end_reason: _Optional[str] = ...) -> None: ...

class ConverseEvent(_message.Message):
    __slots__ = ("answer", "stage", "error", "notification", "transcript", "partial_answer")
    ANSWER_FIELD_NUMBER: _ClassVar[int]
    STAGE_FIELD_NUMBER: _ClassVar[int]
    ERROR_FIELD_NUMBER: _ClassVar[int]
    NOTIFICATION_FIELD_NUMBER: _ClassVar[int]
    TRANSCRIPT_FIELD_NUMBER: _ClassVar[int]
    PARTIAL_ANSWER_FIELD_NUMBER: _ClassVar[int]
    answer: Answer
    stage: StageEvent
    error: TurnError
    notification: Notification
    transcript: PartialTranscript
    partial_answer: PartialAnswer
    def __init__(self, answer: _Optional[_Union[Answer, _Mapping]] = ..., stage: _Optional[_Union[StageEvent, _Mapping]] = ..., error: _Optional[_Union[TurnError, _Mapping]] = ..., notification: _Optional[_Union[Notification, _Mapping]] = ..., transcript: _Optional[_Union[PartialTranscript, _Mapping]] = ..., partial_answer: _Optional[_Union[PartialAnswer, _Mapping]] = ...) -> None: ...
