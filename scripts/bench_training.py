#!/usr/bin/env python3
"""Training throughput of the 951,098-parameter CIFAR-10 CNN: naive path vs the package.

    python scripts/bench_training.py [--data DIR] [--out results/bench/training-throughput.json]

Three ways to train the same model on the same CIFAR-10 images:

``naive``            ``model.fit`` on a float32 NumPy array scaled to [0, 1], float32 model
                     (what most tutorials do);
``pipeline-float32`` the package's ``tf.data`` pipeline (:func:`convnotes.training.train`),
                     float32 model: isolates what the input pipeline alone changes;
``pipeline``         the package's default: the same pipeline with ``precision="auto"``
                     (bfloat16 compute where the processor has native bfloat16).

For each batch size (32 and 128) every variant first trains one untimed epoch (tracing,
warm-up); then the variants take turns, ``--rounds`` times, each timing one epoch of
``--images`` images. Taking turns spreads the load of a shared machine over all of
them. Throughput is images per second of an epoch; the record keeps every round and
reports the median and the best round of each variant, and the speed-up over ``naive``
(the median of the per-round ratios, and the ratio of the best rounds).

Accuracy: each variant then trains the book's quick profile (3,000 training images,
4 epochs, batch 32, seed 0) and is evaluated on its 1,000 test images.

This is a benchmark, not a test: it takes several minutes and writes a JSON record
with provenance (machine load included) under ``results/bench/``.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from convnotes import data, models, runrecord, training  # noqa: E402

keras = training.keras
VARIANTS = ("naive", "pipeline-float32", "pipeline")


def build(variant: str, seed: int):
    keras.utils.set_random_seed(seed)
    precision = "auto" if variant == "pipeline" else "float32"
    return models.build_model(**models.BEST_HYPERPARAMETERS, precision=precision)


def one_epoch(variant: str, model, x, y, batch_size: int, seed: int, x_float: np.ndarray) -> float:
    """Seconds for one training epoch of ``variant`` (``x_float``: x scaled once, for naive)."""
    began = time.perf_counter()
    if variant == "naive":
        model.fit(x_float, y, batch_size=batch_size, epochs=1, shuffle=True, verbose=0)
    else:
        training.train(model, (x, y), epochs=1, batch_size=batch_size, seed=seed)
    return time.perf_counter() - began


def throughput(x, y, batch_size: int, rounds: int) -> dict:
    models_ = {v: build(v, seed=0) for v in VARIANTS}
    x_float = x.astype(np.float32) / 255.0
    for v in VARIANTS:  # warm-up: tracing and first-touch allocations
        one_epoch(v, models_[v], x, y, batch_size, seed=0, x_float=x_float)
    seconds = {v: [] for v in VARIANTS}
    loads = []
    for r in range(rounds):
        for v in VARIANTS:
            seconds[v].append(
                one_epoch(v, models_[v], x, y, batch_size, seed=r + 1, x_float=x_float)
            )
            loads.append(os.getloadavg()[0])
    rates = {v: [len(x) / s for s in seconds[v]] for v in VARIANTS}
    result = {
        v: {
            "images_per_second_median": statistics.median(rates[v]),
            "images_per_second_best": max(rates[v]),
            "images_per_second_rounds": rates[v],
        }
        for v in VARIANTS
    }
    for v in VARIANTS[1:]:
        per_round = [a / b for a, b in zip(rates[v], rates["naive"], strict=True)]
        result[v]["speedup_vs_naive_median"] = statistics.median(per_round)
        result[v]["speedup_vs_naive_best"] = max(rates[v]) / max(rates["naive"])
        result[v]["speedup_vs_naive_rounds"] = per_round
    result["load_average_1min_during"] = [min(loads), max(loads)]
    return result


def accuracy(book, epochs: int, batch_size: int) -> dict:
    out = {}
    for v in VARIANTS:
        model = build(v, seed=0)
        began = time.perf_counter()
        if v == "naive":
            model.fit(
                book.x_train.astype(np.float32) / 255.0,
                book.y_train,
                batch_size=batch_size,
                epochs=epochs,
                shuffle=True,
                verbose=0,
            )
        else:
            training.train(
                model, (book.x_train, book.y_train), epochs=epochs, batch_size=batch_size, seed=0
            )
        seconds = time.perf_counter() - began
        test = training.evaluate(model, book.x_test, book.y_test)
        out[v] = {
            "test_accuracy": test["accuracy"],
            "test_loss": test["loss"],
            "train_seconds": seconds,
        }
        print(f"  accuracy {v}: {test['accuracy']:.4f} ({seconds:.0f} s)", flush=True)
    return out


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=None, help="CIFAR-10 directory (default: search)")
    parser.add_argument(
        "--out", default=str(ROOT / "results" / "bench" / "training-throughput.json")
    )
    parser.add_argument("--images", type=int, default=2048, help="images per timed epoch")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--batch-sizes", type=int, nargs="+", default=[32, 128])
    parser.add_argument("--skip-accuracy", action="store_true")
    args = parser.parse_args(argv)

    began = time.perf_counter()
    load_before = os.getloadavg()
    cifar = data.load_cifar10(args.data, download=False)
    x, y = data.stratified_subset(
        cifar.x_train[:10_000], cifar.y_train[:10_000], args.images // 10, seed=0
    )
    results = {}
    for batch_size in args.batch_sizes:
        print(f"batch {batch_size}: timing {len(x)} images x {args.rounds} rounds", flush=True)
        results[str(batch_size)] = throughput(x, y, batch_size, args.rounds)
        for v in VARIANTS:
            r = results[str(batch_size)][v]
            print(
                f"  {v:17s} {r['images_per_second_median']:7.1f} images/s  "
                f"x{r.get('speedup_vs_naive_median', 1.0):.2f}",
                flush=True,
            )
    acc = None
    if not args.skip_accuracy:
        book = data.book_data_from_cifar(cifar, "quick", seed=0)
        acc = {
            "profile": "quick",
            "epochs": book.profile.epochs,
            "batch_size": 32,
            "sizes": book.sizes(),
            **accuracy(book, book.profile.epochs, 32),
        }
    record = runrecord.make_record(
        runrecord.BENCHMARK_KIND,
        config={
            "model": models.BEST_HYPERPARAMETERS,
            "parameters": 951_098,
            "images_per_epoch": len(x),
            "rounds": args.rounds,
            "batch_sizes": args.batch_sizes,
            "variants": list(VARIANTS),
            "precision_of_pipeline": models.resolve_precision("auto"),
        },
        metrics={"throughput": results, "accuracy": acc},
        wall_time_s=time.perf_counter() - began,
        provenance=training.collect_provenance(
            command=["python", "scripts/bench_training.py", *argv], data_source=cifar, seed=0
        ),
        load_average_before=list(load_before),
        load_average_after=list(os.getloadavg()),
        notes=(
            "The machine (2 vCPUs) was shared with other jobs while this ran; the load "
            "averages above say how busy it was. Variants took turns so that each saw "
            "the same load."
        ),
    )
    path = runrecord.write_record(record, args.out)
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
