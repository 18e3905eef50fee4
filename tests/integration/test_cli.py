"""The ``assistant`` command as a user runs it: ask (in-process and against a server) and eval."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import redis as redis_client

from testkit.redis_server import RedisServer

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
CASES = ROOT / "tests" / "cases"


def assistant(*args: str, env: dict[str, str] | None = None, timeout: float = 240) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "assistant", *args],
        capture_output=True, text=True, timeout=timeout, cwd=ROOT,
        env={**{k: v for k, v in os.environ.items() if not k.startswith("LINGXI_")}, **(env or {})},
    )


@pytest.mark.parametrize("embedded", ["auto", "amqtt"])
def test_ask_in_process_on_the_embedded_broker(embedded):
    result = assistant("ask", "--json", "打开客厅的灯", env={"LINGXI_MQTT_EMBEDDED": embedded})
    assert result.returncode == 0, result.stderr
    answer = json.loads(result.stdout)
    assert answer["actions"] == [{"device": "living_room_main_light", "command": "turn_on", "params": {"power": True}, "status": "done"}]
    assert answer["intents"][0]["source"] == "rules"
    assert answer["input"] == {"text": "打开客厅的灯", "lang": "zh", "speaker": "living_room_speaker"}


def test_ask_with_an_unreachable_server_says_unavailable():
    result = assistant("ask", "--json", "--server", "127.0.0.1:1", "--timeout", "2", "打开客厅的灯")
    assert result.returncode == 2
    assert json.loads(result.stdout)["error"]["code"] == "UNAVAILABLE"


def test_bad_config_is_reported_not_raised(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("server:\n  colour: blue\n")
    result = assistant("--config", str(bad), "ask", "hi")
    assert result.returncode == 2
    assert "unknown option 'colour'" in result.stderr


@pytest.mark.parametrize("cases_file", sorted(CASES.glob("*.jsonl")), ids=lambda p: p.name)
def test_project_cases_pass_through_assistant_eval(cases_file, mosquitto):
    result = assistant("eval", str(cases_file), "--json", env={"LINGXI_MQTT_URL": f"mqtt://127.0.0.1:{mosquitto.port}"})
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    failures = [(c["id"], c["failures"]) for c in lines[:-1] if not c["pass"]]
    assert failures == []
    summary = lines[-1]["summary"]
    assert summary["cases"] == summary["passed"] == len(cases_file.read_text(encoding="utf-8").splitlines())
    assert result.returncode == 0


def test_dialogs_pass_with_sessions_in_redis(mosquitto):
    redis = RedisServer()
    redis.start()
    try:
        result = assistant(
            "eval", str(CASES / "dialog.jsonl"), "--json",
            env={"LINGXI_MQTT_URL": f"mqtt://127.0.0.1:{mosquitto.port}", "LINGXI_REDIS_URL": redis.url},
        )
        stored = redis_client.Redis.from_url(redis.url).keys("lingxi:session:eval-*")
    finally:
        redis.cleanup()
    summary = json.loads(result.stdout.splitlines()[-1])["summary"]
    assert summary["cases"] == summary["passed"] > 0, result.stdout[-2000:]
    sessions = {json.loads(line)["session"] for line in (CASES / "dialog.jsonl").read_text().splitlines()} - {None}
    assert len(stored) == len(sessions)  # every dialog kept its session in Redis


def test_the_device_case_file_covers_at_least_80_cases():
    assert len((CASES / "devices.jsonl").read_text(encoding="utf-8").splitlines()) >= 80


def test_a_taken_embedded_broker_port_is_explained(mosquitto):
    result = assistant("serve", env={"LINGXI_MQTT_EMBEDDED_PORT": str(mosquitto.port), "LINGXI_SERVER_PORT": "0"})
    assert result.returncode == 2
    assert f"127.0.0.1:{mosquitto.port} is already taken" in result.stderr
    assert "LINGXI_MQTT_URL" in result.stderr


def test_a_taken_grpc_port_is_explained():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = assistant("serve", env={"LINGXI_SERVER_PORT": str(port), "LINGXI_MQTT_EMBEDDED_PORT": "0"})
    assert result.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr
