#!/usr/bin/env python3
"""Training speed of the seed CIFAR-10 CNN on each TensorFlow CPU path and precision.

    python scripts/bench_cpu_path.py [--data DIR] [--out results/bench/cpu-path.json]

The evidence behind convnotes' oneDNN default (:mod:`convnotes._tf`). Each variant,
``TF_ENABLE_ONEDNN_OPTS`` in {0, 1} x precision in {float32, mixed_bfloat16}, runs in
its own Python process (TensorFlow reads the variable once, at import): it trains the
951,098-parameter model through :func:`convnotes.training.train` at batch 32 for one
untimed epoch (tracing, warm-up), then times ``--epochs`` epochs of ``--images``
CIFAR-10 images. The variants take turns, ``--rounds`` times, so that a busy machine
slows all of them alike. The record keeps every timed epoch, the median per variant,
the machine (CPU features included) and the load averages.

This is a benchmark, not a test: several minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

VARIANTS = [
    (onednn, precision) for onednn in ("0", "1") for precision in ("float32", "mixed_bfloat16")
]

# Runs in the child process, on the path its environment asks for.
CHILD = """
import json, sys, time
from convnotes import data, machine, models, training
cifar_dir, images, epochs, precision = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
cifar = data.load_cifar10(cifar_dir, download=False)
x, y = data.stratified_subset(cifar.x_train, cifar.y_train, images // 10, seed=0)
training.keras.utils.set_random_seed(0)
model = models.build_model(**models.BEST_HYPERPARAMETERS, precision=precision)
training.train(model, (x, y), epochs=1, batch_size=32, seed=0)
rates = []
for epoch in range(epochs):
    began = time.perf_counter()
    training.train(model, (x, y), epochs=1, batch_size=32, seed=epoch + 1)
    rates.append(len(x) / (time.perf_counter() - began))
print(json.dumps({"rates": rates, "path": machine.tensorflow_cpu_path()}))
"""


def run_variant(onednn: str, precision: str, args: argparse.Namespace) -> dict:
    env = {**os.environ, "TF_ENABLE_ONEDNN_OPTS": onednn}
    done = subprocess.run(
        [sys.executable, "-c", CHILD, args.data, str(args.images), str(args.epochs), precision],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, help="CIFAR-10 directory (cifar-10-batches-py)")
    parser.add_argument("--out", default=str(ROOT / "results" / "bench" / "cpu-path.json"))
    parser.add_argument("--images", type=int, default=2048, help="images per timed epoch")
    parser.add_argument("--epochs", type=int, default=2, help="timed epochs per round")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args(argv)

    from convnotes import machine, runrecord
    from convnotes.training import collect_provenance

    began = time.perf_counter()
    load_before = os.getloadavg()
    rates: dict[str, list[float]] = {}
    paths: dict[str, dict] = {}
    for round_number in range(args.rounds):
        for onednn, precision in VARIANTS:
            name = f"onednn={onednn} {precision}"
            result = run_variant(onednn, precision, args)
            rates.setdefault(name, []).extend(result["rates"])
            paths[name] = result["path"]
            print(
                f"round {round_number + 1} {name:28s} "
                + " ".join(f"{r:6.1f}" for r in result["rates"])
                + " images/s",
                flush=True,
            )
    metrics = {
        name: {
            "images_per_second_median": statistics.median(values),
            "images_per_second_epochs": values,
            "onednn_ran": paths[name]["onednn"],
            "precision_policy": paths[name]["precision_policy"],
        }
        for name, values in rates.items()
    }
    record = runrecord.make_record(
        runrecord.BENCHMARK_KIND,
        config={
            "model": "models.BEST_HYPERPARAMETERS (951,098 parameters)",
            "batch_size": 32,
            "images_per_epoch": args.images,
            "timed_epochs_per_round": args.epochs,
            "rounds": args.rounds,
            "variants": [f"onednn={o} {p}" for o, p in VARIANTS],
        },
        metrics={"training_images_per_second": metrics},
        wall_time_s=time.perf_counter() - began,
        provenance=collect_provenance(
            command=["python", "scripts/bench_cpu_path.py", *argv], data_source=args.data, seed=0
        ),
        load_average_before=list(load_before),
        load_average_after=list(os.getloadavg()),
        tensorflow_default_onednn_here=machine.tensorflow_default_onednn(),
    )
    print(f"wrote {runrecord.write_record(record, args.out)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
