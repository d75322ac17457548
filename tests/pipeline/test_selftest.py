import json
import subprocess
import sys

from tests.conftest import REPO_ROOT


def test_selftest_runs_every_stage_and_says_so():
    completed = subprocess.run(
        [sys.executable, "-m", "app", "selftest"],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    summary = json.loads(completed.stdout)
    assert summary["ok"] is True
    assert set(summary["stages"]) == {"load", "asr", "nlu", "calendar", "tts", "tts_de"}
    assert all(stage["ok"] for stage in summary["stages"].values())
    assert "ok   calendar" in completed.stderr
