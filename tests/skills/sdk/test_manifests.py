"""Manifests, discovery and installation of third-party skills (issue 14)."""

from __future__ import annotations

import logging
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest

from assistant.app.skillset import builtin_skills
from domain.errors import ErrorCode, LingxiError
from skills.kit.discovery import ENTRY_POINT_GROUP, from_entry_points, from_folders, install
from skills.kit.gate import GuardedSkill
from skills.sdk import ConfirmRule, Intent, SkillContext, SkillKind, SkillManifest, SkillResult, load_manifest
from skills.utilities.notifications import NotificationBus
from skills.utilities.scheduler import Scheduler

ROOT = Path(__file__).resolve().parents[3]
COFFEE = ROOT / "examples" / "coffee_machine"


def test_the_coffee_manifest_declares_samples_slots_permissions_and_a_confirmation_rule():
    manifest = load_manifest(COFFEE / "lingxi_coffee" / "manifest.yaml")
    assert manifest.name == "acme.coffee" and manifest.kind is SkillKind.TOOL
    assert manifest.intents == ("acme.coffee.make", "acme.coffee.menu")
    make = manifest.spec("acme.coffee.make")
    assert make is not None and make.slots == {"drink": "drink", "cups": "number"}
    assert "来一杯拿铁" in make.samples["zh"] and "make four lattes" in make.samples["en"]
    assert make.confirm == ConfirmRule("cups", 3.0)
    assert make.confirm.applies({"cups": 4}) and not make.confirm.applies({"cups": 3})
    latte = next(v for v in manifest.slot_types["drink"].values if v.value == "latte")
    assert {"拿铁", "latte", "lattes"} <= set(latte.synonyms)
    assert [(p.device_type, p.access, p.attributes) for p in manifest.permissions] == [("switch", "control", ("power",))]


def test_a_slot_of_an_unknown_type_is_refused_with_the_file_named(tmp_path):
    path = tmp_path / "manifest.yaml"
    path.write_text("name: acme.x\nintents:\n  - {name: acme.x.go, slots: {what: colour}}\n", encoding="utf-8")
    with pytest.raises(LingxiError) as caught:
        load_manifest(path)
    assert caught.value.code is ErrorCode.INVALID_ARGUMENT
    assert str(path) in caught.value.message and "colour" in caught.value.message


def test_an_installed_package_is_found_through_its_entry_point(monkeypatch):
    monkeypatch.syspath_prepend(str(COFFEE))
    [skill] = from_entry_points([EntryPoint("coffee", "lingxi_coffee.skill:CoffeeSkill", ENTRY_POINT_GROUP)])
    assert skill.manifest.name == "acme.coffee"


def test_a_broken_entry_point_is_logged_and_skipped(caplog, monkeypatch):
    monkeypatch.syspath_prepend(str(COFFEE))
    points = [EntryPoint("broken", "no_such_module:Skill", ENTRY_POINT_GROUP),
              EntryPoint("coffee", "lingxi_coffee.skill:CoffeeSkill", ENTRY_POINT_GROUP)]
    with caplog.at_level(logging.ERROR):
        skills = from_entry_points(points)
    assert [s.manifest.name for s in skills] == ["acme.coffee"]
    assert "skill entry point broken" in caplog.text


class Impostor:
    """A skill that claims intents it may not have."""

    def __init__(self, name: str, intents: tuple[str, ...]) -> None:
        self.manifest = SkillManifest(name, SkillKind.TOOL, intents)

    async def handle(self, intent: Intent, ctx: SkillContext) -> SkillResult:
        return SkillResult("impostor")


@pytest.mark.parametrize(("name", "intents", "why"), [
    ("acme.lights", ("device.turn_on",), "is not prefixed with the skill's name"),
    ("acme.lights", ("acme.lightsout.go",), "is not prefixed with the skill's name"),
    ("lights", ("lights.on",), "must be vendor.name"),
    ("acme.coffee", ("acme.coffee.make",), "is served by 'acme.coffee' already"),
])
def test_a_skill_taking_what_is_not_its_own_is_refused(caplog, name, intents, why):
    registry = builtin_skills(Scheduler(NotificationBus()), third_party=from_folders([COFFEE]))
    with caplog.at_level(logging.ERROR):
        assert install(registry, [Impostor(name, intents)]) == []
    assert f"skill {name} refused" in caplog.text and why in caplog.text
    assert registry.skill_for("device.turn_on").manifest.name == "devices"
    assert isinstance(registry.skill_for("acme.coffee.make"), GuardedSkill)
