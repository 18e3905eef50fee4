"""Tasks in order, with the dependencies an utterance implies.

Consecutive device and scene tasks that name different devices run together; anything
that may touch the same device, reads state, or is not a device task waits for what came
before it ("关掉客厅的灯然后打开卧室的空调" runs both at once; "把灯带调成红色并且亮度调到八十"
runs in order, on the same strip).
"""

from __future__ import annotations

from intents.types import Intent

CONCURRENT_INTENTS = frozenset({"device.turn_on", "device.turn_off", "device.set", "device.adjust"})


def _devices(intent: Intent) -> frozenset[str] | None:
    """The devices an intent names explicitly, or ``None`` when it cannot be known before running."""
    slots = intent.slots
    if slots.get("device"):
        return frozenset({str(slots["device"])})
    if slots.get("devices"):
        return frozenset(str(d) for d in slots["devices"])
    return None


def plan_stages(intents: tuple[Intent, ...]) -> list[list[Intent]]:
    """Group intents into stages: a stage's tasks run concurrently, stages run in order."""
    stages: list[list[Intent]] = []
    busy: set[str] | None = None  # devices of the open stage; None: it takes no company
    for intent in intents:
        devices = _devices(intent) if intent.name in CONCURRENT_INTENTS else None
        if stages and busy is not None and devices is not None and not devices & busy:
            stages[-1].append(intent)
            busy |= devices
        else:
            stages.append([intent])
            busy = set(devices) if devices is not None else None
    return stages
