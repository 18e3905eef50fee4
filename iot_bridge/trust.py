"""Which topics a discovered entity may use: checked at parse time, before anything is subscribed.

Anything on the broker can publish a discovery config, so a config is a claim, not a fact.
Three checks keep one device from acting as another:

* a topic must be a plain topic: no wildcard (``#``, ``+``), no ``$`` system topic, no NUL,
  nothing empty or absurdly long. A wildcard state topic would make the bridge read everything,
  and an invalid filter was once resubscribed on every reconnect until the bridge stalled;
* ``lingxi/<home>/<device>/...`` belongs to that device: only an entity that carries the
  identifier ``lingxi:<home>:<device>`` may use it, and such an entity may use nothing else
  (besides its home's simulator availability topic). Such entities are *verified*;
* outside Lingxi's namespace the bridge cannot know who owns a topic, so the device that
  announced a command or state topic first keeps it (see :class:`iot_bridge.registry.HomeRegistry`).

None of this replaces the broker's ACL (README: "MQTT security"): a client that may write
``homeassistant/#`` can still replace a real device's config with its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from domain.errors import PayloadError
from iot_bridge.discovery import simulator_availability_topic

if TYPE_CHECKING:  # channels checks topics with this module while parsing
    from iot_bridge.channels import Entity

#: Longer topics are no real device's (MQTT allows 65,535 bytes; HA topics are well under 100).
MAX_TOPIC_CHARS = 256
NAMESPACE = "lingxi/"
IDENTIFIER_PREFIX = "lingxi:"


def check_topic(topic: Any) -> str:
    """``topic`` when it is a plain topic a device may publish or be commanded on; :class:`PayloadError` if not."""
    if not isinstance(topic, str) or not topic:
        raise PayloadError(f"topic {str(topic)[:40]!r} is not a topic")
    if len(topic) > MAX_TOPIC_CHARS:
        raise PayloadError(f"topic of {len(topic)} characters is over the {MAX_TOPIC_CHARS}-character limit")
    if "#" in topic or "+" in topic:
        raise PayloadError(f"wildcard topic {topic[:64]!r}")
    if topic.startswith("$") or "\x00" in topic:
        raise PayloadError(f"topic {topic[:64]!r} is reserved or invalid")
    return topic


def check_config_topics(config: Mapping[str, Any]) -> None:
    """Check every topic a discovery config names, whichever key holds it (used or not)."""
    for key, value in config.items():
        if key == "availability" and isinstance(value, Iterable) and not isinstance(value, (str, bytes)):
            for item in value:
                if isinstance(item, Mapping) and item.get("topic") is not None:
                    check_topic(item["topic"])
        elif (key == "topic" or key.endswith("_topic")) and value is not None:
            check_topic(value)


def control_topics(entity: Entity) -> set[str]:
    """The command and state topics of an entity: the ones only one device may use."""
    topics = set()
    for channel in entity.channels:
        if channel.command is not None:
            topics.add(channel.command.topic)
        if channel.state is not None:
            topics.add(channel.state.topic)
    return topics


def lingxi_claim(entity: Entity) -> tuple[str, str] | None:
    """``(home, device)`` of the Lingxi identifier the entity carries, if any."""
    for ident in entity.identifiers:
        if ident.startswith(IDENTIFIER_PREFIX):
            home, _, device = ident[len(IDENTIFIER_PREFIX):].partition(":")
            return home, device
    return None


def namespace_problem(entity: Entity) -> str | None:
    """Why the entity may not use its topics under Lingxi's namespace rule, or None."""
    claim = lingxi_claim(entity)
    topics = control_topics(entity) | {a.topic for a in entity.availability}
    for topic in sorted(topics):
        if claim is None:
            if topic.startswith(NAMESPACE):
                return f"uses {topic}, which belongs to a Lingxi device"
            continue
        home, device = claim
        if not (topic.startswith(f"{NAMESPACE}{home}/{device}/") or topic == simulator_availability_topic(home)):
            return f"claims Lingxi device {home}:{device} but uses {topic}"
    return None
