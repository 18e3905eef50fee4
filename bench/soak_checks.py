"""The soak test's invariants, judged from the ledger and the devices' final state.

* **Exactly once**: every device change an answer confirmed (``status == "done"``) shows in
  the device's own state log exactly once, and the device's final state is the last change
  asked of it. The harness gives every change of a tracked attribute a value never asked
  before, so a replayed command shows as a value coming back and a lost one as a value that
  never appears. A change whose outcome the user was not told (an error, a timeout) may or
  may not have happened; it is allowed either way, but not twice.
* **No unsafe action**: the lock may unlock, and the camera switch off, only after a turn
  that confirmed that very action; never after a cancelled confirmation.
* **Timers**: each timer an answer confirmed rings once on every stream of its speaker, and at
  least once somewhere in its home.
* **Honest without the LLM**: every request for LLM-written text is answered, with text the LLM
  wrote or an answer that says it cannot reach one (never an error, never anything else), and the
  LLM writes again once it is back.
* **Homes apart**: an answer is of the speaker's home, acts only on that home's devices, never
  names the other home's devices; a stream hears only its home; another home's session is refused.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from lingxi.assistant.v1 import assistant_pb2 as pb

from bench.soak_homes import ID_PREFIX, MARKER
from bench.soak_ledger import OK, Ledger, StateMessage, Turn
from domain.home import Home

#: The attribute each tracked device is checked on (demo ids; the second home's carry ID_PREFIX).
TRACKED = {
    "living_room_main_light": "brightness", "living_room_strip": "brightness", "bedroom_light": "brightness",
    "bedside_lamp": "brightness", "kids_room_light": "brightness", "study_desk_lamp": "brightness",
    "living_room_curtain": "position", "bedroom_curtain": "position", "living_room_tv": "volume",
    "kitchen_light": "power", "balcony_light": "power", "front_door_lock": "lock", "living_room_camera": "power",
}
#: Changes that need a confirmation turn: device -> (attribute, value).
RISKY = {"front_door_lock": ("lock", "unlocked"), "living_room_camera": ("power", False)}
#: Purposes of turns that confirm a risky action (others must never release one).
CONFIRMING = "confirm"
#: Purpose of turns that send another home's session id (they must be refused).
PROBE = "probe"
#: Purpose of turns that ask for LLM-written text.
GENERATION = "generation"
#: Words of the answers that say no LLM could be reached (skills.generation), and of the route of one that wrote.
OFFLINE_WORDS, WRITTEN_WORDS = ("连不上", "can't reach", "offline"), "written by"


def base_id(device: str) -> str:
    return device.removeprefix(ID_PREFIX)


def reported(state: dict[str, Any], attribute: str) -> Any:
    """An attribute's value in a device's state payload, in Lingxi's vocabulary."""
    if attribute == "power":
        return state.get("state", state.get("power")) in ("ON", True)
    if attribute == "lock":
        return str(state.get("lock", "")).lower() or None
    return state.get(attribute)


def value_of(value: pb.Value) -> Any:
    kind = value.WhichOneof("kind")
    return getattr(value, kind) if kind else None


def same(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b or a == b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return abs(a - b) < 1e-6
    return a == b


@dataclass
class Verdict:
    """What the checks found; each list holds one line per finding."""

    confirmed_changes: int = 0
    lost: list[str] = field(default_factory=list)
    duplicated: list[str] = field(default_factory=list)
    unobserved: list[str] = field(default_factory=list)
    phantom: list[str] = field(default_factory=list)
    final_mismatch: list[str] = field(default_factory=list)
    unsafe: list[str] = field(default_factory=list)
    leaks: list[str] = field(default_factory=list)
    timers: dict[str, Any] = field(default_factory=dict)
    generation: dict[str, Any] = field(default_factory=dict)


def runs(messages: list[StateMessage], attribute: str) -> list[tuple[Any, float]]:
    """The values an attribute took, consecutive repeats collapsed: (value, first seen)."""
    out: list[tuple[Any, float]] = []
    for message in messages:
        value = reported(message.state, attribute)
        if value is not None and (not out or not same(out[-1][0], value)):
            out.append((value, message.received))
    return out


def _during(turn: Turn, gaps: list[tuple[float, float]]) -> bool:
    return any(turn.sent <= end + 1.0 and start - 1.0 <= turn.received for start, end in gaps)


def check_devices(ledger: Ledger, homes: list[Home], final: dict[str, dict[str, dict]], verdict: Verdict) -> None:
    by_device: dict[tuple[str, str], list[StateMessage]] = defaultdict(list)
    for message in ledger.states:
        by_device[(message.home, message.device)].append(message)
    confirmed: dict[tuple[str, str], list[tuple[Turn, Any]]] = defaultdict(list)
    for turn, action in ledger.confirmed():
        attribute = TRACKED.get(base_id(action.device))
        if attribute and attribute in action.params and turn.home:
            confirmed[(turn.home, action.device)].append((turn, value_of(action.params[attribute])))
    uncertain: dict[tuple[str, str], list[tuple[Turn, Any]]] = defaultdict(list)
    for turn in ledger.turns:
        if turn.intended is not None and not any(
            a.device == turn.intended.device and a.status == "done" for a in (turn.answer.actions if turn.answer else ())
        ):
            uncertain[(turn.home, turn.intended.device)].append((turn, turn.intended.value))
    for home in homes:
        for device_id, device in home.devices.items():
            attribute = TRACKED.get(base_id(device_id))
            if attribute is None:
                continue
            key = (home.id, device_id)
            seen = runs(by_device[key], attribute)
            asked = confirmed[key]
            maybe = uncertain[key]
            verdict.confirmed_changes += len(asked)
            where = f"{home.id}/{device_id}.{attribute}"
            if attribute in ("brightness", "position", "volume"):  # values seldom repeat: count each one
                counts = Counter(round(float(v), 3) for v, _ in seen)
                wanted = Counter(round(float(v), 3) for _, v in asked)
                could = Counter(round(float(v), 3) for _, v in maybe)
                for turn, value in asked:
                    key = round(float(value), 3)
                    if counts[key] < wanted[key]:
                        (verdict.unobserved if _during(turn, ledger.observer_gaps) else verdict.lost).append(
                            f"{where}={value} confirmed at {turn.received:.1f} s: reported {counts[key]} of {wanted[key]} times")
                verdict.duplicated += [f"{where}={key:g} reported {n} times, asked {wanted[key]} (+{could[key]} unconfirmed)"
                                       for key, n in counts.items() if n > wanted[key] + could[key] and (wanted[key] or could[key])]
                allowed = {round(float(v), 3) for _, v in asked + maybe} | {round(float(device.initial_state[attribute]), 3)}
                verdict.phantom += [f"{where}={v} at {t:.1f} s: never asked" for v, t in seen if round(float(v), 3) not in allowed]
            _check_final(where, device.initial_state.get(attribute), asked, maybe,
                         final.get(home.id, {}).get(device_id, {}).get(attribute), verdict)


def _check_final(where: str, initial: Any, asked: list[tuple[Turn, Any]], maybe: list[tuple[Turn, Any]], final: Any,
                 verdict: Verdict) -> None:
    """The device ends at the last confirmed change, or at a later change whose outcome was not told."""
    last = max(asked, key=lambda tv: tv[0].sent, default=None)
    since = last[0].sent if last else -1.0
    allowed = [last[1] if last else initial] + [v for t, v in maybe if t.sent > since]
    if not any(same(final, v) for v in allowed):
        verdict.final_mismatch.append(f"{where}: ended at {final!r}, expected one of {allowed!r}")


def check_risky(ledger: Ledger, homes: list[Home], verdict: Verdict) -> None:
    for home in homes:
        for base, (attribute, risky_value) in RISKY.items():
            device = base if home.id == homes[0].id else ID_PREFIX + base
            messages = [m for m in ledger.states if m.home == home.id and m.device == device]
            changes = [t for v, t in runs(messages, attribute)[1:] if same(v, risky_value)]  # the first run: before the run
            confirms = sorted(t.sent for t in ledger.turns if t.home == home.id and t.purpose == CONFIRMING
                              and t.intended is not None and t.intended.device == device)
            for at in changes:
                usable = [c for c in confirms if c <= at]
                if usable:
                    confirms.remove(usable[0])
                else:
                    verdict.unsafe.append(f"{home.id}/{device} became {risky_value} at {at:.1f} s with no confirmation turn before it")
    for turn in ledger.turns:
        if turn.answer is None or turn.purpose == CONFIRMING:
            continue
        for action in turn.answer.actions:
            risky = RISKY.get(base_id(action.device))
            if action.status == "done" and risky and risky[0] in action.params and same(value_of(action.params[risky[0]]), risky[1]):
                verdict.unsafe.append(f"{turn.home}/{action.device}: {turn.purpose} turn {turn.text!r} at {turn.sent:.1f} s released it")


def check_timers(ledger: Ledger, restarts: list[tuple[float, float]], verdict: Verdict) -> None:
    """Each confirmed timer rings at most once on each speaker of its home, and at least once in all."""
    timers = [(t, a) for t, a in ledger.confirmed() if a.command == "timer.set"]
    heard: dict[tuple[str, str], list] = defaultdict(list)
    for h in ledger.heard:
        heard[(h.device_id, h.at)].append(h)
    once = duplicated = lost = lost_to_restart = 0
    details = []
    for turn, action in timers:
        at = value_of(action.params["at"])
        due = turn.received + float(value_of(action.params["duration"]))
        receipts = heard.pop((action.device, at), [])
        per_speaker = Counter(h.speaker for h in receipts)  # across the openings of its stream
        if any(n > 1 for n in per_speaker.values()):
            duplicated += 1
            details.append(f"{turn.home}/{action.device} timer {at}: heard {dict(per_speaker)}")
        elif receipts:
            once += 1
        elif any(start <= due + 1.0 and turn.sent <= end for start, end in restarts):
            lost_to_restart += 1
            details.append(f"{turn.home}/{action.device} timer due {due:.1f} s: never heard (a service restart came between)")
        else:
            lost += 1
            details.append(f"{turn.home}/{action.device} timer due {due:.1f} s: never heard")
    unmatched = sum(len(v) for v in heard.values())
    verdict.timers = {"set": len(timers), "fired_once": once, "duplicated": duplicated, "lost": lost,
                      "lost_across_restart": lost_to_restart, "unmatched_notifications": unmatched, "details": details}


def written(turn: Turn) -> bool:
    return turn.answer is not None and WRITTEN_WORDS in turn.answer.route.reason


def check_generation(ledger: Ledger, outages: list[tuple[float, float]], restarts: list[tuple[float, float]],
                     verdict: Verdict) -> None:
    """Each request for LLM text got text the LLM wrote or an honest offline answer; an error only while the
    service itself was restarting."""
    turns = [t for t in ledger.turns if t.purpose == GENERATION]
    wrote = [t for t in turns if written(t)]
    offline = [t for t in turns if t.answer is not None and not written(t)
               and any(w in t.answer.speech for w in OFFLINE_WORDS)]
    dishonest = [f"{t.text!r} at {t.sent:.1f} s: {t.code}" for t in turns if t.code != OK and not _during(t, restarts)]
    dishonest += [f"{t.text!r} at {t.sent:.1f} s answered {t.answer.speech[:60]!r} ({t.answer.route.reason})"
                  for t in turns if t.answer is not None and t not in wrote and t not in offline]
    verdict.generation = {
        "asked": len(turns), "written": len(wrote), "offline_in_outage": sum(_during(t, outages) for t in offline),
        "offline_while_up": sum(not _during(t, outages) for t in offline), "dishonest": dishonest,
    }


def check_homes(ledger: Ledger, homes: list[Home], verdict: Verdict) -> None:
    names = {home.id: {n for d in home.devices.values() for n in (d.names.zh[:1] + d.names.en[:1])} for home in homes}
    own = {home.id: set(home.devices) | set(home.speakers) for home in homes}
    first, second = homes[0].id, homes[1].id
    for turn in ledger.turns:
        if turn.purpose == PROBE:  # refused, or not served at all (the service restarting): never answered
            if turn.code == OK:
                verdict.leaks.append(f"{turn.speaker} used another home's session: {turn.answer.speech if turn.answer else ''!r}")
            continue
        if turn.answer is None:
            continue
        answer = turn.answer
        if answer.home_id and answer.home_id != turn.home:
            verdict.leaks.append(f"{turn.speaker}: answer of home {answer.home_id}")
        # an action with no device is a task that failed before it reached one (a skill error): counted as an error
        verdict.leaks += [f"{turn.speaker}: {turn.text!r} acted on {a.device}" for a in answer.actions
                          if a.device and a.device not in own[turn.home]]
        speech = answer.speech
        if turn.home == first:
            if any(marker.strip() in speech for marker in MARKER.values()):
                verdict.leaks.append(f"{turn.speaker}: {speech!r} names a device of {second}")
        else:
            for name in names[second]:
                speech = speech.replace(name, "")
            for name in names[first]:
                if name in speech:
                    verdict.leaks.append(f"{turn.speaker}: {answer.speech!r} names {name!r} of {first}")
    verdict.leaks += [f"{h.speaker} heard a notification of {h.device_id}" for h in ledger.heard if h.device_id not in own[h.home]]


def check(ledger: Ledger, homes: list[Home], final: dict[str, dict[str, dict]], restarts: list[tuple[float, float]],
          llm_outages: list[tuple[float, float]] | None = None) -> Verdict:
    verdict = Verdict()
    check_devices(ledger, homes, final, verdict)
    check_risky(ledger, homes, verdict)
    check_timers(ledger, restarts, verdict)
    check_generation(ledger, llm_outages or [], restarts, verdict)
    check_homes(ledger, homes, verdict)
    return verdict
