"""``assistant chat`` as a user runs it: one session across turns, notifications as they ring, spoken turns."""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest

from testkit.voice_fixtures import missing_tools, synthesise

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
#: How long to wait for a line before calling the chat stuck (a hang guard, not a speed check:
#: the first answer includes starting the broker, the devices and the models).
STUCK_S = 120.0


class ChatProcess:
    """``assistant chat`` in a child process, typed at through a pipe; its output read line by line."""

    def __init__(self, *args: str) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "assistant", "chat", *args],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
            env={k: v for k, v in os.environ.items() if not k.startswith("LINGXI_")},
        )
        self._lines: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self._lines.put(line.rstrip("\n"))
        self._lines.put(None)

    def say(self, text: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(text + "\n")
        self.process.stdin.flush()

    def line(self) -> str:
        line = self._lines.get(timeout=STUCK_S)
        assert line is not None, f"chat ended early: {self.stderr()}"
        return line

    def event(self) -> dict[str, Any]:
        return json.loads(self.line())

    def stderr(self) -> str:
        self.process.wait(timeout=STUCK_S)
        assert self.process.stderr is not None
        return self.process.stderr.read()

    def end(self) -> int:
        """Close its input (EOF) and wait for it to finish."""
        assert self.process.stdin is not None
        self.process.stdin.close()
        return self.process.wait(timeout=STUCK_S)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


@pytest.fixture
def chat_process():
    started: list[ChatProcess] = []

    def start(*args: str) -> ChatProcess:
        started.append(ChatProcess(*args))
        return started[-1]

    yield start
    for chat in started:
        chat.kill()


def test_a_timer_rings_in_the_chat_and_a_follow_up_keeps_the_session(chat_process):
    chat = chat_process()
    chat.say("set a timer for 1 second")
    assert chat.line() == "OK. 1 second timer started."
    assert chat.line() == "[timer] Your 1 second timer is done"  # nothing typed: the chat hears it ring
    chat.say("把客厅灯调到50%")
    assert "50" in chat.line()
    chat.say("再亮一点")  # names no light: only the session says which one
    assert chat.line() == "好的，客厅主灯亮度已调到60%"
    chat.say("/quit")
    assert chat.end() == 0


def test_json_lines_carry_one_session_and_the_notification(chat_process):
    chat = chat_process("--json")
    chat.say("定一个1秒的计时器")
    first = chat.event()
    assert [i["name"] for i in first["intents"]] == ["timer.set"]
    assert chat.event()["notification"] | {"at": None} == {
        "kind": "timer", "label": "", "speech": "1秒的计时器时间到了", "at": None, "device_id": "living_room_speaker",
    }
    chat.say("打开卧室的灯")
    chat.say("调暗一点")
    on, dimmer = chat.event(), chat.event()
    assert first["session_id"] == on["session_id"] == dimmer["session_id"] != ""
    assert dimmer["actions"] == [
        {"device": "bedroom_light", "command": "adjust", "params": {"brightness": 60}, "status": "done"}
    ]
    assert chat.end() == 0  # end of input ends the chat


def test_a_spoken_turn_is_answered_in_the_same_session(chat_process, tmp_path):
    if missing_tools():
        pytest.fail(f"the spoken turn needs {', '.join(missing_tools())}: run make setup")
    wav = tmp_path / "kitchen.wav"
    synthesise("turn on the kitchen light", "en", wav)
    chat = chat_process("--json", "--lang", "en")
    chat.say("/audio")
    assert chat.event()["error"]["code"] == "INVALID_ARGUMENT"
    chat.say(f"/audio {tmp_path / 'missing.wav'}")
    assert "cannot read" in chat.event()["error"]["message"]
    chat.say("what time is it")
    asked = chat.event()
    chat.say(f"/audio {wav}")
    spoken = chat.event()
    assert spoken["transcript"]
    assert spoken["actions"] == [{"device": "kitchen_light", "command": "turn_on", "params": {"power": True}, "status": "done"}]
    assert spoken["session_id"] == asked["session_id"]
    chat.say("/quit")
    assert chat.end() == 0


def test_an_unreachable_server_ends_the_chat_with_unavailable(chat_process):
    chat = chat_process("--json", "--server", "127.0.0.1:1")
    chat.say("打开客厅的灯")
    assert chat.event()["error"]["code"] == "UNAVAILABLE"
    assert chat.end() == 2
