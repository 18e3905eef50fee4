import pytest

from assistant.app.config import load_config
from assistant.app.runtime import choose_embedded_broker
from domain.errors import ErrorCode, LingxiError


def test_defaults_serve_the_demo_home_on_the_documented_port():
    config = load_config(None, env={})
    assert config.server.port == 50051
    assert config.mqtt.url == ""  # embedded broker
    assert config.homes == ()


def test_file_then_environment_override(tmp_path):
    path = tmp_path / "lingxi.yaml"
    path.write_text("server:\n  port: 6000\n  device_tokens: {living_room_speaker: s3cret}\nmqtt:\n  command_timeout_s: 1.5\n")
    config = load_config(path, env={"LINGXI_SERVER_PORT": "7000", "LINGXI_MQTT_URL": "mqtt://127.0.0.1:1884"})
    assert config.server.port == 7000
    assert config.server.device_tokens == {"living_room_speaker": "s3cret"}
    assert config.mqtt.command_timeout_s == 1.5
    assert config.mqtt.url == "mqtt://127.0.0.1:1884"


def test_environment_lists_and_mappings():
    config = load_config(None, env={"LINGXI_HOMES": "a.yaml, b.yaml", "LINGXI_SERVER_DEVICE_TOKENS": "a=1,b=2", "LINGXI_LOG_JSON": "yes"})
    assert config.homes == ("a.yaml", "b.yaml")
    assert config.server.device_tokens == {"a": "1", "b": "2"}
    assert config.log.json is True


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("server:\n  prot: 1\n", "unknown option 'prot'"),
        ("server:\n  port: fast\n", "expected a number"),
        ("- a list\n", "does not hold a mapping"),
        ("server: [1\n", "not valid YAML"),
    ],
)
def test_bad_config_files_say_what_is_wrong(tmp_path, text, fragment):
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(LingxiError) as info:
        load_config(path, env={})
    assert info.value.code is ErrorCode.INVALID_ARGUMENT
    assert fragment in info.value.message


def test_missing_config_file_is_named(tmp_path):
    with pytest.raises(LingxiError, match="cannot read config file"):
        load_config(tmp_path / "nope.yaml", env={})


@pytest.mark.parametrize(
    "preference, installed, chosen",
    [("auto", True, "mosquitto"), ("auto", False, "amqtt"), ("amqtt", True, "amqtt"), ("mosquitto", True, "mosquitto")],
)
def test_embedded_broker_choice(preference, installed, chosen):
    assert choose_embedded_broker(preference, installed) == chosen


@pytest.mark.parametrize("preference, installed", [("mosquitto", False), ("rabbitmq", True)])
def test_impossible_embedded_broker_choices_are_explained(preference, installed):
    with pytest.raises(LingxiError, match=r"mqtt\.embedded"):
        choose_embedded_broker(preference, installed)
