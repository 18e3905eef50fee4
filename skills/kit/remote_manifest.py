"""A skill's manifest as the skill API carries it (``lingxi.skill.v1.Manifest``), both ways.

What comes over the wire is read through :func:`~skills.kit.manifest.manifest_from_dict`, so a
remote skill's manifest is checked exactly as a ``manifest.yaml`` is (unknown kinds, slot types,
access) and a bad one raises INVALID_ARGUMENT.
"""

from __future__ import annotations

from typing import Any

from lingxi.skill.v1 import skill_pb2 as pb

from domain.errors import invalid_argument
from skills.kit.manifest import SkillManifest, manifest_from_dict


def manifest_to_proto(manifest: SkillManifest) -> pb.Manifest:
    return pb.Manifest(
        name=manifest.name,
        version=manifest.version,
        kind=manifest.kind.value,
        description=manifest.description,
        confirm=manifest.confirm,
        latency=manifest.latency.value,
        intents=[
            pb.IntentSpec(
                name=spec.name,
                samples=[pb.Samples(lang=lang, texts=texts) for lang, texts in spec.samples.items()],
                slots=dict(spec.slots),
                confirm=pb.ConfirmRule(slot=spec.confirm.slot, above=spec.confirm.above) if spec.confirm else None,
            )
            for spec in manifest.specs
        ],
        permissions=[pb.Permission(device_type=p.device_type, access=p.access.value, attributes=p.attributes)
                     for p in manifest.permissions],
        slot_types=[pb.SlotType(name=t.name, values=[pb.SlotTypeValue(value=v.value, synonyms=v.synonyms) for v in t.values])
                    for t in manifest.slot_types.values()],
    )


def manifest_from_proto(message: pb.Manifest) -> SkillManifest:
    """The manifest a remote skill described; INVALID_ARGUMENT when it is not a valid one."""
    intents: list[dict[str, Any]] = []
    for spec in message.intents:
        intent: dict[str, Any] = {"name": spec.name, "slots": dict(spec.slots),
                                  "samples": {s.lang: list(s.texts) for s in spec.samples}}
        if spec.HasField("confirm"):
            intent["confirm"] = {"slot": spec.confirm.slot, "above": spec.confirm.above}
        intents.append(intent)
    doc = {
        "name": message.name,
        "version": message.version,
        "kind": message.kind or "tool",
        "description": message.description,
        "confirm": message.confirm,
        "latency": message.latency or "fast",
        "intents": intents,
        "permissions": [{"type": p.device_type, "access": p.access or "read", "attributes": list(p.attributes)}
                        for p in message.permissions],
        "slot_types": {t.name: [{"value": v.value, "synonyms": list(v.synonyms)} for v in t.values]
                       for t in message.slot_types},
    }
    try:
        return manifest_from_dict(doc)
    except (KeyError, TypeError, ValueError) as err:
        raise invalid_argument(f"remote skill {message.name!r}: its manifest is not valid: {err!r}") from err
