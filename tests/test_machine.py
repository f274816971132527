"""convnotes.machine and the CPU-path choice of convnotes._tf, in fresh processes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from convnotes import machine
from convnotes._tf import ONEDNN_DEFAULT, ONEDNN_ENV

import keras_paths

REPORT = (
    "import json, sys\n"
    "{prelude}\n"
    "from convnotes import machine\n"
    "from convnotes._tf import import_keras\n"
    "import_keras()\n"
    "print(json.dumps(machine.tensorflow_cpu_path()))\n"
)


def report(env_value: str | None, prelude: str = "") -> dict:
    env = {k: v for k, v in os.environ.items() if k != ONEDNN_ENV}
    if env_value is not None:
        env[ONEDNN_ENV] = env_value
    done = subprocess.run(
        [sys.executable, "-c", REPORT.format(prelude=prelude)],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.slow
@pytest.mark.parametrize(
    ("env_value", "onednn", "chosen_by"),
    [
        (None, ONEDNN_DEFAULT == "1", "convnotes default"),
        # "user environment" with "0" and "1": tests/test_tf_defects.py
        ("false", False, "user environment"),
    ],
)
def test_convnotes_decides_the_path_unless_the_user_does(env_value, onednn, chosen_by):
    path = report(env_value)
    assert path["onednn"] is onednn  # what TensorFlow itself reports
    assert path["chosen_by"] == chosen_by
    assert path["requested"] == (ONEDNN_DEFAULT if env_value is None else env_value)
    assert path["tensorflow_default"] is machine.tensorflow_default_onednn()
    assert path["precision_policy"] == "float32"


@pytest.mark.slow
def test_tensorflow_imported_first_keeps_its_own_default_and_says_so():
    path = report(None, prelude="import tensorflow")
    assert path["chosen_by"] == "tensorflow default"
    assert path["onednn"] is machine.tensorflow_default_onednn()
    assert path["requested"] is None


def test_this_test_process_took_the_planned_path():
    assert keras_paths.ONEDNN is machine.planned_onednn()
    assert machine.tensorflow_cpu_path()["onednn"] is keras_paths.ONEDNN


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1", True),
        ("true", True),
        (" True ", True),
        ("0", False),
        ("FALSE", False),
        ("", None),
        ("yes", None),
        (None, None),
    ],
)
def test_environment_values_read_as_tensorflow_reads_them(value, expected):
    assert machine.onednn_from_environment(value) is expected


def test_cpu_features_follow_proc_cpuinfo(monkeypatch):
    fake = (
        "processor\t: 0\nmodel name\t: Example CPU 9000\n"
        "flags\t\t: fpu sse2 avx2 avx512f avx512_vnni avx512_bf16\n"
        "processor\t: 1\nmodel name\t: Example CPU 9000\nflags\t\t: fpu\n"
    )
    monkeypatch.setattr(machine, "_cpuinfo", lambda: fake)
    machine.cpu_flags.cache_clear()
    try:
        assert machine.cpu_model() == "Example CPU 9000"
        features = machine.cpu_features()
        assert features["avx2"] and features["avx512f"] and features["avx512_bf16"]
        assert not features["amx_bf16"] and not features["avx_vnni"]
        assert machine.native_bfloat16_cpu()
        assert machine.tensorflow_default_onednn()
    finally:
        machine.cpu_flags.cache_clear()


def test_avx2_only_cpu_gets_eigen_from_tensorflow(monkeypatch):
    monkeypatch.setattr(machine, "_cpuinfo", lambda: "model name\t: AMD EPYC\nflags\t: avx2 fma\n")
    machine.cpu_flags.cache_clear()
    try:
        assert not machine.tensorflow_default_onednn()
        assert not machine.native_bfloat16_cpu()
    finally:
        machine.cpu_flags.cache_clear()


def test_run_records_name_the_path():
    from convnotes.training import collect_provenance

    described = collect_provenance(command="test", seed=1)["machine"]
    path = described["tensorflow_cpu_path"]
    assert path["onednn"] is keras_paths.ONEDNN
    assert path["chosen_by"] in ("convnotes default", "user environment")
    assert set(described["cpu_features"]) >= {"avx2", "avx512f", "avx512_bf16"}
    assert described["cpu"] == machine.cpu_model()
    json.dumps(described)  # a record must serialize


@pytest.mark.parametrize("lang", ["en", "fa"])
def test_status_page_shows_the_path_the_chapters_take(lang):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "book" / "_ext"))
    import build_status as status  # book tooling: the status page's tables

    page = status.BuildStatus(Path("."), [], [], status.hardware()).hardware_html(lang)
    shown = "oneDNN" if keras_paths.ONEDNN else "Eigen"
    assert f">{shown}</bdi></td>" in page  # the path row, isolated left to right
    assert status.word("tf_path", lang) in page and status.word("features", lang) in page
    default = "oneDNN" if machine.tensorflow_default_onednn() else "Eigen"
    assert f"{status.word('tensorflow default', lang)}" in page and f">{default}</bdi>)" in page
