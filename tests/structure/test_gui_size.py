"""One room per concern (issue 26): the window is composed of parts, each a module of its own
under app/gui/, and none of them grows past 500 lines again."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import REPO_ROOT

MAX_LINES = 500
GUI = REPO_ROOT / "app" / "gui"


def line_counts(folder: Path) -> dict[str, int]:
    return {
        path.name: len(path.read_text(encoding="utf-8").splitlines())
        for path in sorted(folder.glob("*.py"))
    }


def test_no_module_of_the_window_is_over_500_lines() -> None:
    counts = line_counts(GUI)
    assert "main_window.py" in counts and len(counts) > 10
    too_long = {name: lines for name, lines in counts.items() if lines > MAX_LINES}
    assert too_long == {}


def test_the_count_sees_a_long_file(tmp_path: Path) -> None:
    (tmp_path / "long.py").write_text("x = 1\n" * (MAX_LINES + 1), encoding="utf-8")
    assert line_counts(tmp_path) == {"long.py": MAX_LINES + 1}
