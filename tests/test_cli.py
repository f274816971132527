"""Smoke tests of the ``convnotes`` command."""

from __future__ import annotations

import subprocess
import sys

from convnotes import cli


def test_exercises_params_to_file_and_stdout(tmp_path, capsys):
    out = tmp_path / "key.md"
    assert (
        cli.main(
            [
                "exercises",
                "params",
                "--seed",
                "5",
                "--count",
                "2",
                "--lang",
                "fa",
                "--answers",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    key = out.read_text(encoding="utf-8")
    assert key.startswith("# پاسخ‌نامه (بذر ۵)") and "## تمرین ۲" in key
    assert cli.main(["exercises", "params", "--seed", "5", "--count", "2"]) == 0
    questions = capsys.readouterr().out
    assert questions.startswith("# Parameter-counting exercises (seed 5)")
    assert "## Exercise 2" in questions and "Total:" not in questions


def test_bad_count_is_reported(capsys):
    assert cli.main(["exercises", "params", "--count", "0"]) == 2
    assert "--count must be a positive integer" in capsys.readouterr().err


def test_console_entry_point():
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "convnotes.cli",
            "exercises",
            "params",
            "--seed",
            "1",
            "--count",
            "1",
            "--lang",
            "en",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# Parameter-counting exercises (seed 1)")
