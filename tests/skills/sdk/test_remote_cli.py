"""``assistant skill test PATH --remote`` (issue 14): the examples' samples and dialogs pass with the
skill served over gRPC on loopback, and a dialog answered otherwise fails there too."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[3]


def skill_test_remote(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "assistant", "skill", "test", str(path), "--remote"],
        capture_output=True, text=True, timeout=240, cwd=ROOT,
        env={k: v for k, v in os.environ.items() if not k.startswith("LINGXI_")},
    )


@pytest.mark.parametrize("example", ["coffee_machine", "shopping_list"])
def test_the_examples_pass_served_remotely(example):
    done = skill_test_remote(ROOT / "examples" / example)
    assert done.returncode == 0, done.stderr
    assert "ok" in done.stdout
    assert "(served remotely): ok" in done.stdout


def test_a_dialog_answered_otherwise_fails_remotely(tmp_path):
    folder = tmp_path / "shopping_list"
    shutil.copytree(ROOT / "examples" / "shopping_list", folder)
    (folder / "dialogs.yaml").write_text(
        "dialogs:\n  - name: wrong\n    turns:\n      - {say: 把牛奶加到购物清单, expect: 已把鸡蛋加到购物清单}\n", encoding="utf-8")
    done = skill_test_remote(folder)
    assert done.returncode == 1
    assert "FAIL wrong: '把牛奶加到购物清单'" in done.stderr
