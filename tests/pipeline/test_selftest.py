import json
import os
import subprocess
import sys
from pathlib import Path

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
    assert set(summary["stages"]) == {
        "load",
        "asr",
        "nlu",
        "calendar",
        "tts",
        "tts_de",
        "audio",
    }
    assert all(stage["ok"] for stage in summary["stages"].values())
    assert "ok   calendar" in completed.stderr
    # Its throwaway calendar left no backups in the user's folders.
    assert not (Path(os.environ["XDG_DATA_HOME"]) / "voice-calendar" / "backups").exists()


def test_a_machine_without_portaudio_fails_the_audio_stage_and_says_what_to_install(
    monkeypatch,
) -> None:
    from app.cli import selftest
    from app.speech import devices

    def no_portaudio(direction: str) -> list[devices.Device]:
        raise OSError("PortAudio library not found")

    monkeypatch.setattr(devices, "list_devices", no_portaudio)
    stage = selftest._sound_devices()
    assert stage["ok"] is False
    assert "apt-get install libportaudio2" in stage["message"]
