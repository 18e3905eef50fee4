from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class Awaiting(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    AWAITING_NONE: _ClassVar[Awaiting]
    AWAITING_CONFIRMATION: _ClassVar[Awaiting]
    AWAITING_CLARIFICATION: _ClassVar[Awaiting]
AWAITING_NONE: Awaiting
AWAITING_CONFIRMATION: Awaiting
AWAITING_CLARIFICATION: Awaiting

class DescribeRequest(_message.Message):
    __slots__ = ()
    def __init__(self) -> None: ...

class Manifest(_message.Message):
    __slots__ = ("name", "version", "kind", "description", "confirm", "latency", "intents", "permissions", "slot_types")
    NAME_FIELD_NUMBER: _ClassVar[int]
    VERSION_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    DESCRIPTION_FIELD_NUMBER: _ClassVar[int]
    CONFIRM_FIELD_NUMBER: _ClassVar[int]
    LATENCY_FIELD_NUMBER: _ClassVar[int]
    INTENTS_FIELD_NUMBER: _ClassVar[int]
    PERMISSIONS_FIELD_NUMBER: _ClassVar[int]
    SLOT_TYPES_FIELD_NUMBER: _ClassVar[int]
    name: str
    version: str
    kind: str
    description: str
    confirm: bool
    latency: str
    intents: _containers.RepeatedCompositeFieldContainer[IntentSpec]
    permissions: _containers.RepeatedCompositeFieldContainer[Permission]
    slot_types: _containers.RepeatedCompositeFieldContainer[SlotType]
    def __init__(self, name: _Optional[str] = ..., version: _Optional[str] = ..., kind: _Optional[str] = ..., description: _Optional[str] = ..., confirm: _Optional[bool] = ..., latency: _Optional[str] = ..., intents: _Optional[_Iterable[_Union[IntentSpec, _Mapping]]] = ..., permissions: _Optional[_Iterable[_Union[Permission, _Mapping]]] = ..., slot_types: _Optional[_Iterable[_Union[SlotType, _Mapping]]] = ...) -> None: ...

class IntentSpec(_message.Message):
    __slots__ = ("name", "samples", "slots", "confirm")
    class SlotsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: str
        def __init__(self, key: _Optional[str] = ..., value: _Optional[str] = ...) -> None: ...
    NAME_FIELD_NUMBER: _ClassVar[int]
    SAMPLES_FIELD_NUMBER: _ClassVar[int]
    SLOTS_FIELD_NUMBER: _ClassVar[int]
    CONFIRM_FIELD_NUMBER: _ClassVar[int]
    name: str
    samples: _containers.RepeatedCompositeFieldContainer[Samples]
    slots: _containers.ScalarMap[str, str]
    confirm: ConfirmRule
    def __init__(self, name: _Optional[str] = ..., samples: _Optional[_Iterable[_Union[Samples, _Mapping]]] = ..., slots: _Optional[_Mapping[str, str]] = ..., confirm: _Optional[_Union[ConfirmRule, _Mapping]] = ...) -> None: ...

class Samples(_message.Message):
    __slots__ = ("lang", "texts")
    LANG_FIELD_NUMBER: _ClassVar[int]
    TEXTS_FIELD_NUMBER: _ClassVar[int]
    lang: str
    texts: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, lang: _Optional[str] = ..., texts: _Optional[_Iterable[str]] = ...) -> None: ...

class ConfirmRule(_message.Message):
    __slots__ = ("slot", "above")
    SLOT_FIELD_NUMBER: _ClassVar[int]
    ABOVE_FIELD_NUMBER: _ClassVar[int]
    slot: str
    above: float
    def __init__(self, slot: _Optional[str] = ..., above: _Optional[float] = ...) -> None: ...

class Permission(_message.Message):
    __slots__ = ("device_type", "access", "attributes")
    DEVICE_TYPE_FIELD_NUMBER: _ClassVar[int]
    ACCESS_FIELD_NUMBER: _ClassVar[int]
    ATTRIBUTES_FIELD_NUMBER: _ClassVar[int]
    device_type: str
    access: str
    attributes: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, device_type: _Optional[str] = ..., access: _Optional[str] = ..., attributes: _Optional[_Iterable[str]] = ...) -> None: ...

class SlotType(_message.Message):
    __slots__ = ("name", "values")
    NAME_FIELD_NUMBER: _ClassVar[int]
    VALUES_FIELD_NUMBER: _ClassVar[int]
    name: str
    values: _containers.RepeatedCompositeFieldContainer[SlotTypeValue]
    def __init__(self, name: _Optional[str] = ..., values: _Optional[_Iterable[_Union[SlotTypeValue, _Mapping]]] = ...) -> None: ...

class SlotTypeValue(_message.Message):
    __slots__ = ("value", "synonyms")
    VALUE_FIELD_NUMBER: _ClassVar[int]
    SYNONYMS_FIELD_NUMBER: _ClassVar[int]
    value: str
    synonyms: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, value: _Optional[str] = ..., synonyms: _Optional[_Iterable[str]] = ...) -> None: ...

class Value(_message.Message):
    __slots__ = ("text", "integer", "number", "flag")
    TEXT_FIELD_NUMBER: _ClassVar[int]
    INTEGER_FIELD_NUMBER: _ClassVar[int]
    NUMBER_FIELD_NUMBER: _ClassVar[int]
    FLAG_FIELD_NUMBER: _ClassVar[int]
    text: str
    integer: int
    number: float
    flag: bool
    def __init__(self, text: _Optional[str] = ..., integer: _Optional[int] = ..., number: _Optional[float] = ..., flag: _Optional[bool] = ...) -> None: ...

class Capability(_message.Message):
    __slots__ = ("attribute", "kind", "minimum", "maximum", "options")
    ATTRIBUTE_FIELD_NUMBER: _ClassVar[int]
    KIND_FIELD_NUMBER: _ClassVar[int]
    MINIMUM_FIELD_NUMBER: _ClassVar[int]
    MAXIMUM_FIELD_NUMBER: _ClassVar[int]
    OPTIONS_FIELD_NUMBER: _ClassVar[int]
    attribute: str
    kind: str
    minimum: float
    maximum: float
    options: _containers.RepeatedScalarFieldContainer[str]
    def __init__(self, attribute: _Optional[str] = ..., kind: _Optional[str] = ..., minimum: _Optional[float] = ..., maximum: _Optional[float] = ..., options: _Optional[_Iterable[str]] = ...) -> None: ...

class Device(_message.Message):
    __slots__ = ("id", "type", "room", "names_zh", "names_en", "capabilities", "state", "available")
    class StateEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: Value
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[Value, _Mapping]] = ...) -> None: ...
    ID_FIELD_NUMBER: _ClassVar[int]
    TYPE_FIELD_NUMBER: _ClassVar[int]
    ROOM_FIELD_NUMBER: _ClassVar[int]
    NAMES_ZH_FIELD_NUMBER: _ClassVar[int]
    NAMES_EN_FIELD_NUMBER: _ClassVar[int]
    CAPABILITIES_FIELD_NUMBER: _ClassVar[int]
    STATE_FIELD_NUMBER: _ClassVar[int]
    AVAILABLE_FIELD_NUMBER: _ClassVar[int]
    id: str
    type: str
    room: str
    names_zh: _containers.RepeatedScalarFieldContainer[str]
    names_en: _containers.RepeatedScalarFieldContainer[str]
    capabilities: _containers.RepeatedCompositeFieldContainer[Capability]
    state: _containers.MessageMap[str, Value]
    available: bool
    def __init__(self, id: _Optional[str] = ..., type: _Optional[str] = ..., room: _Optional[str] = ..., names_zh: _Optional[_Iterable[str]] = ..., names_en: _Optional[_Iterable[str]] = ..., capabilities: _Optional[_Iterable[_Union[Capability, _Mapping]]] = ..., state: _Optional[_Mapping[str, Value]] = ..., available: _Optional[bool] = ...) -> None: ...

class HandleRequest(_message.Message):
    __slots__ = ("intent", "slots", "utterance", "language", "session_id", "home_id", "speaker_id", "speaker_room", "now", "timezone", "last_device", "devices")
    class SlotsEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: Value
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[Value, _Mapping]] = ...) -> None: ...
    INTENT_FIELD_NUMBER: _ClassVar[int]
    SLOTS_FIELD_NUMBER: _ClassVar[int]
    UTTERANCE_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    SESSION_ID_FIELD_NUMBER: _ClassVar[int]
    HOME_ID_FIELD_NUMBER: _ClassVar[int]
    SPEAKER_ID_FIELD_NUMBER: _ClassVar[int]
    SPEAKER_ROOM_FIELD_NUMBER: _ClassVar[int]
    NOW_FIELD_NUMBER: _ClassVar[int]
    TIMEZONE_FIELD_NUMBER: _ClassVar[int]
    LAST_DEVICE_FIELD_NUMBER: _ClassVar[int]
    DEVICES_FIELD_NUMBER: _ClassVar[int]
    intent: str
    slots: _containers.MessageMap[str, Value]
    utterance: str
    language: str
    session_id: str
    home_id: str
    speaker_id: str
    speaker_room: str
    now: str
    timezone: str
    last_device: str
    devices: _containers.RepeatedCompositeFieldContainer[Device]
    def __init__(self, intent: _Optional[str] = ..., slots: _Optional[_Mapping[str, Value]] = ..., utterance: _Optional[str] = ..., language: _Optional[str] = ..., session_id: _Optional[str] = ..., home_id: _Optional[str] = ..., speaker_id: _Optional[str] = ..., speaker_room: _Optional[str] = ..., now: _Optional[str] = ..., timezone: _Optional[str] = ..., last_device: _Optional[str] = ..., devices: _Optional[_Iterable[_Union[Device, _Mapping]]] = ...) -> None: ...

class DeviceCommand(_message.Message):
    __slots__ = ("device_id", "changes")
    class ChangesEntry(_message.Message):
        __slots__ = ("key", "value")
        KEY_FIELD_NUMBER: _ClassVar[int]
        VALUE_FIELD_NUMBER: _ClassVar[int]
        key: str
        value: Value
        def __init__(self, key: _Optional[str] = ..., value: _Optional[_Union[Value, _Mapping]] = ...) -> None: ...
    DEVICE_ID_FIELD_NUMBER: _ClassVar[int]
    CHANGES_FIELD_NUMBER: _ClassVar[int]
    device_id: str
    changes: _containers.MessageMap[str, Value]
    def __init__(self, device_id: _Optional[str] = ..., changes: _Optional[_Mapping[str, Value]] = ...) -> None: ...

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

class HandleResponse(_message.Message):
    __slots__ = ("speech", "awaiting", "candidates", "commands", "media")
    SPEECH_FIELD_NUMBER: _ClassVar[int]
    AWAITING_FIELD_NUMBER: _ClassVar[int]
    CANDIDATES_FIELD_NUMBER: _ClassVar[int]
    COMMANDS_FIELD_NUMBER: _ClassVar[int]
    MEDIA_FIELD_NUMBER: _ClassVar[int]
    speech: str
    awaiting: Awaiting
    candidates: _containers.RepeatedScalarFieldContainer[str]
    commands: _containers.RepeatedCompositeFieldContainer[DeviceCommand]
    media: Media
    def __init__(self, speech: _Optional[str] = ..., awaiting: _Optional[_Union[Awaiting, str]] = ..., candidates: _Optional[_Iterable[str]] = ..., commands: _Optional[_Iterable[_Union[DeviceCommand, _Mapping]]] = ..., media: _Optional[_Union[Media, _Mapping]] = ...) -> None: ...
