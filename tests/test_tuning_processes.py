"""Searches across processes: a search killed mid-trial resumes without losing or
repeating trials; keras-tuner's chief/worker mode runs every trial exactly once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from convnotes import runrecord
from convnotes.tuning.schedule import keras_tuner_schedule

pytestmark = pytest.mark.slow


def _tune(*args: str) -> list[str]:
    return [sys.executable, "-m", "convnotes.cli", "tune", *args]


def _runs(project: Path) -> dict[str, list[dict]]:
    found = {}
    for path in project.glob("trial_*/convnotes_runs.json"):
        try:
            found[path.parent.name] = json.loads(path.read_text())
        except (json.JSONDecodeError, FileNotFoundError):  # being replaced right now
            continue
    return found


@pytest.mark.slow
def test_killed_search_resumes_without_losing_or_repeating_trials(tmp_path):
    directory, out = tmp_path / "kt", tmp_path / "record.json"
    args = [
        "--tuner",
        "hyperband",
        "--problem",
        "analytic",
        "--max-epochs",
        "9",
        "--trial-delay",
        "0.4",
        "--directory",
        str(directory),
        "--out",
        str(out),
    ]
    project = directory / "analytic_hyperband_quick"
    process = subprocess.Popen(
        _tune(*args, "--overwrite"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 240
    try:
        while True:
            assert process.poll() is None, "the search ended before it could be killed"
            assert time.monotonic() < deadline, "no progress"
            runs = _runs(project)
            done = [name for name, r in runs.items() if r[-1]["status"] == "COMPLETED"]
            running = [r[-1] for r in runs.values() if r[-1]["status"] == "RUNNING"]
            # Kill inside a trial, well after its start was recorded.
            if len(done) >= 6 and running and time.time() - running[0]["started"] > 0.1:
                process.send_signal(signal.SIGKILL)
                process.wait()
                break
            time.sleep(0.05)
    finally:
        if process.poll() is None:
            process.kill()
    before = _runs(project)
    completed_before = {n for n, r in before.items() if r[-1]["status"] == "COMPLETED"}
    interrupted = {n for n, r in before.items() if r[-1]["status"] == "RUNNING"}
    assert len(completed_before) >= 6 and len(interrupted) == 1
    assert not out.exists()

    resumed = subprocess.run(_tune(*args), capture_output=True, text=True, timeout=240)
    assert resumed.returncode == 0, resumed.stderr[-2000:]
    assert "resuming" in resumed.stdout

    record = runrecord.load_record(out, kind=runrecord.TUNE_KIND)
    trials = {f"trial_{t['trial_id']}": t for t in record["trials"]}
    schedule = keras_tuner_schedule(9, 3)
    assert len(trials) == schedule.trials  # nothing lost, nothing added
    assert all(t["status"] == "COMPLETED" for t in trials.values())
    for name in completed_before:  # not run again
        assert len(trials[name]["runs"]) == 1
    for name in interrupted:  # run again under the same trial id
        assert [run["status"] for run in trials[name]["runs"]] == ["RUNNING", "COMPLETED"]
    assert record["summary"]["executions"] == schedule.trials + 1
    assert record["summary"]["epochs"] == schedule.epochs
    observed = record["hyperband_schedule"]["observed"]
    assert observed == record["hyperband_schedule"]["expected"]


@pytest.mark.slow
def test_chief_and_two_workers_run_every_trial_once(tmp_path):
    """keras-tuner's own distributed mode, on the digits CNN, with Hyperband.

    Promoted trials load their parent's checkpoint, possibly written by the other
    worker, from the shared project directory.
    """
    directory, out = tmp_path / "kt", tmp_path / "record.json"
    env = {k: v for k, v in os.environ.items() if not k.startswith("KERASTUNER_")}
    result = subprocess.run(
        _tune(
            "--tuner",
            "hyperband",
            "--problem",
            "digits",
            "--max-epochs",
            "3",
            "--distributed",
            "2",
            "--directory",
            str(directory),
            "--out",
            str(out),
            "--overwrite",
            "--timeout",
            "400",
        ),
        capture_output=True,
        text=True,
        timeout=450,
        env=env,
    )
    logs = directory / "digits_hyperband_quick" / "logs"
    assert result.returncode == 0, result.stderr[-2000:] + "\n".join(
        p.read_text()[-1500:] for p in sorted(logs.glob("*.log"))
    )
    assert sorted(p.name for p in logs.glob("*.log")) == ["chief.log", "worker0.log", "worker1.log"]
    record = runrecord.load_record(out, kind=runrecord.TUNE_KIND)
    schedule = keras_tuner_schedule(3, 3)
    trials = record["trials"]
    assert len(trials) == schedule.trials
    assert all(t["status"] == "COMPLETED" for t in trials)
    assert all(len(t["runs"]) == 1 for t in trials)  # exactly once
    assert {t["tuner_id"] for t in trials} <= {"worker0", "worker1"}
    assert record["summary"]["epochs"] == schedule.epochs
    assert record["hyperband_schedule"]["observed"] == record["hyperband_schedule"]["expected"]
    for name in ("worker0", "worker1"):
        assert f"{name}: ran" in (logs / f"{name}.log").read_text()
