"""Smoke tests of the ``convnotes`` command."""

from __future__ import annotations

import subprocess
import sys

import pytest

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


# --------------------------------------------------------------------------
# Bad requests and bad data: one line "convnotes CMD: error: ...", status 2
# --------------------------------------------------------------------------


def run_cli(argv, capsys):
    """Status and stderr of ``convnotes argv`` run in this process (argparse exits too)."""
    try:
        status = cli.main(argv)
    except SystemExit as stop:
        status = stop.code
    return status, capsys.readouterr().err


def assert_one_error_line(status, err, command, *fragments):
    assert status == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"convnotes {command}: error: "), err
    assert "Traceback" not in err
    for fragment in fragments:
        assert fragment in lines[0], err


@pytest.mark.parametrize(
    ("argv", "fragments"),
    [
        (["benchmark", "--size", "0"], ["--size", "must be a positive integer, got '0'"]),
        (["benchmark", "--repeats", "-3"], ["--repeats", "positive integer"]),
        (["benchmark", "--size", "4", "--pools", "5", "--no-keras"], ["--pools 5", "--size 4"]),
        (["train", "--out", "x.json", "--epochs", "0"], ["--epochs", "positive integer"]),
        (["train", "--out", "x.json", "--batch-size", "two"], ["--batch-size", "'two'"]),
        (["train", "--out", "x.json", "--val-per-class", "-1"], ["--val-per-class"]),
        (["train"], ["--out"]),
        (["tune", "--tuner", "nonsense"], ["nonsense"]),
        (["exercises", "params", "--lang", "de"], ["--lang", "'de'"]),
        (["nonsense"], ["'nonsense'"]),
    ],
)
def test_bad_arguments_are_one_error_line(argv, fragments, capsys):
    status, err = run_cli(argv, capsys)
    # the error names the (sub)command that refused: "convnotes exercises params: error: ..."
    command = argv[: 2 if argv[0] == "exercises" else 1] if argv[0] in cli.SUBCOMMANDS else []
    prefix = " ".join(["convnotes", *command])
    assert status == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{prefix}: error: "), err
    for fragment in fragments:
        assert fragment in lines[0], err


def test_train_reports_a_missing_data_folder(tmp_path, capsys):
    status, err = run_cli(
        ["train", "--data", str(tmp_path / "nonexistent"), "--out", str(tmp_path / "r.json")],
        capsys,
    )
    assert_one_error_line(status, err, "train", "nonexistent", "no such directory")
    assert not (tmp_path / "r.json").exists()


def test_train_reports_corrupt_data(tmp_path, capsys):
    folder = tmp_path / "cifar-10-batches-py"
    folder.mkdir()
    for name in ["batches.meta", "data_batch_1", "test_batch"]:
        (folder / name).write_bytes(b"not a pickle at all")
    status, err = run_cli(
        ["train", "--data", str(folder), "--out", str(tmp_path / "r.json")], capsys
    )
    assert_one_error_line(status, err, "train", str(folder))


def test_train_refuses_an_unwritable_record_before_training(tmp_path, capsys):
    blocker = tmp_path / "a-file"
    blocker.write_text("I am a file, not a folder")
    status, err = run_cli(
        ["train", "--data", str(tmp_path / "nonexistent"), "--out", str(blocker / "r.json")],
        capsys,
    )
    assert_one_error_line(status, err, "train", "--out", "cannot create its folder")


def test_tune_reports_a_missing_data_folder(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("CONVNOTES_DATA", str(tmp_path / "nonexistent"))
    monkeypatch.delenv("CONVNOTES_REQUIRE_CIFAR", raising=False)
    status, err = run_cli(
        [
            "tune",
            "--problem",
            "cifar",
            "--profile",
            "full",
            "--out",
            str(tmp_path / "t.json"),
            "--directory",
            str(tmp_path / "kt"),
        ],
        capsys,
    )
    assert_one_error_line(status, err, "tune", "nonexistent")


def test_errors_from_the_console_script_have_no_traceback(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "convnotes.cli", "benchmark", "--size", "0"],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "convnotes benchmark: error: argument --size: must be a positive integer, got '0' "
        "(see 'convnotes benchmark --help')"
    ]
