"""The hub's topics: one request topic per home, its default answer topic, and the event topics.

::

    lingxi/<home>/request                requests in (JSON)
    lingxi/<home>/answer                 answers out, unless a request names its own reply topic
    lingxi/<home>/intent/<intent name>   every recognised intent (Hermes' ``hermes/intent/<name>``)
    lingxi/<home>/action/<device id>     every action result

A request's reply topic is checked before anything is published on it: a reply must never land
on a device's command topic, another home's topics or a request topic, whoever asked for it.
"""

from __future__ import annotations

from collections.abc import Iterable

from assistant.pipeline.messages import quoted
from domain.errors import invalid_argument
from domain.home import Home

ROOT = "lingxi"
#: Longest reply topic accepted (MQTT allows 64 KB; a hub's reply topics are short).
MAX_REPLY_TOPIC_CHARS = 256
#: Characters that cannot stand inside one topic level: replaced in event topics built from ids.
_NOT_IN_LEVEL = str.maketrans({"/": "_", "+": "_", "#": "_", "\x00": "_"})


def request_topic(home_id: str) -> str:
    return f"{ROOT}/{home_id}/request"


def answer_topic(home_id: str) -> str:
    return f"{ROOT}/{home_id}/answer"


def intent_topic(home_id: str, intent: str) -> str:
    return f"{ROOT}/{home_id}/intent/{intent.translate(_NOT_IN_LEVEL)}"


def action_topic(home_id: str, device_id: str) -> str:
    return f"{ROOT}/{home_id}/action/{device_id.translate(_NOT_IN_LEVEL)}"


def check_reply_topic(topic: str, home: Home, homes: Iterable[Home]) -> str:
    """``topic`` if a reply for ``home`` may be published there; INVALID_ARGUMENT saying why not."""
    if not topic or len(topic) > MAX_REPLY_TOPIC_CHARS:
        raise invalid_argument(f"reply topic must be 1-{MAX_REPLY_TOPIC_CHARS} characters, not {len(topic)}")
    if any(c in topic for c in "+#\x00") or topic.startswith("$"):
        raise invalid_argument(f"reply topic {quoted(topic)} is not a topic to publish on (wildcards, NUL or $)")
    levels = topic.split("/")
    if levels[0] == ROOT and (len(levels) < 2 or levels[1] != home.id):
        raise invalid_argument(f"reply topic {quoted(topic)} belongs to another home; use one under {ROOT}/{home.id}/")
    if levels[0] == ROOT and levels[2:] == ["request"]:
        raise invalid_argument(f"reply topic {quoted(topic)} is a request topic: the answer would be read as a request")
    for other in homes:  # device command topics live under the discovery prefix
        if topic == other.discovery_prefix or topic.startswith(f"{other.discovery_prefix}/"):
            raise invalid_argument(f"reply topic {quoted(topic)} is under the device topics ({other.discovery_prefix}/)")
    return topic
