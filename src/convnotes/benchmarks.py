"""Time the reference convolution and pooling against OpenCV and Keras.

``convnotes benchmark`` (and :func:`run_benchmarks`, which returns the numbers
as a dict for a status page) times, on one ``size`` x ``size`` float32 image:

* :func:`convnotes.conv.correlate2d` with "same" padding against
  ``cv2.filter2D`` (constant zero border, the same anchor) and a Keras
  ``Conv2D`` holding the same kernel, for each kernel size;
* :func:`convnotes.pooling.pool2d` (max and average, "valid") against Keras'
  ``MaxPooling2D`` / ``AveragePooling2D``.

Each timing is the median of ``repeats`` calls after one warm-up call; the
competitors are called in alternating rounds so that load from other processes
affects them alike. Every pair of implementations is also compared for
agreement (max abs difference), so a fast wrong answer cannot pass unnoticed.

The project's target is the reference 3x3 correlation within 5x of OpenCV on
one channel; the benchmark reports whether this machine meets it but never
fails because of it (speed depends on the machine and on what else runs on it).
"""

from __future__ import annotations

import argparse
import platform
import statistics
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from convnotes import conv, pooling, runrecord
from convnotes.cli import CommandError, positive_int, writable_file

TARGET_RATIO_3X3 = 5.0


def _paired_ms(
    functions: Sequence[Callable[[], Any]], repeats: int
) -> tuple[list[float], list[Any]]:
    """Median wall times (ms) of competing functions, timed in alternating rounds.

    Each function is called once as a warm-up; then every round calls each
    function once, so a burst of load from other processes hits all of them
    alike and their ratio stays meaningful on a busy machine.
    """
    results = [function() for function in functions]
    times: list[list[float]] = [[] for _ in functions]
    for _ in range(repeats):
        for index, function in enumerate(functions):
            start = time.perf_counter()
            function()
            times[index].append((time.perf_counter() - start) * 1000.0)
    return [statistics.median(series) for series in times], results


def _max_error(a: Any, b: Any) -> float:
    return float(np.max(np.abs(np.asarray(a, np.float64) - np.asarray(b, np.float64))))


def run_benchmarks(
    size: int = 1024,
    kernel_sizes: Sequence[int] = (3, 7),
    pool_sizes: Sequence[int] = (2,),
    repeats: int = 7,
    include_keras: bool = True,
    opencv_threads: int | None = None,
    seed: int = 0,
) -> dict[str, Any]:
    """Time the reference conv2d and pooling against OpenCV and Keras; return a dict.

    The result is a run record (:class:`convnotes.runrecord.BenchmarkRecord`): the
    shared envelope (``kind``, ``created``, ``wall_time_s``, ``provenance``), ``config``
    (sizes, versions, threads), ``conv2d`` and ``pooling`` (one row per kernel or pool
    size and mode, with times in ms, ratios and max abs differences), ``metrics`` (the
    headline medians) and ``target`` (the 3x3 ratio and whether it is met).
    ``opencv_threads`` sets OpenCV's thread count for the run (NumPy's
    element-wise operations use one core); by default OpenCV keeps its own.

    Examples
    --------
    >>> results = run_benchmarks(size=32, kernel_sizes=(3,), repeats=1, include_keras=False)
    >>> row = results["conv2d"][0]
    >>> row["kernel"], row["max_abs_error_opencv"] < 1e-5
    (3, True)
    """
    import cv2

    if opencv_threads is not None:
        (threads,) = conv.positive_ints(opencv_threads, 1, "opencv_threads")
        previous = cv2.getNumThreads()
        cv2.setNumThreads(threads)
        try:
            return run_benchmarks(
                size, kernel_sizes, pool_sizes, repeats, include_keras, None, seed
            )
        finally:
            cv2.setNumThreads(previous)
    began = time.perf_counter()
    (size,) = conv.positive_ints(size, 1, "size")
    (repeats,) = conv.positive_ints(repeats, 1, "repeats")
    kernel_sizes = [conv.positive_ints(k, 1, "kernel size")[0] for k in kernel_sizes]
    pool_sizes = [conv.positive_ints(k, 1, "pool size")[0] for k in pool_sizes]
    rng = np.random.default_rng(seed)
    image = rng.random((size, size), dtype=np.float32)
    batch = image[None, :, :, None]  # Keras wants (N, H, W, C)
    keras = _keras() if include_keras else None

    conv_rows = []
    for k in kernel_sizes:
        kernel = rng.standard_normal((k, k)).astype(np.float32)
        anchor = ((k - 1) // 2, (k - 1) // 2)  # Keras' 'same' split for even k
        contenders = [
            lambda kernel=kernel: conv.correlate2d(image, kernel, padding="same"),
            lambda kernel=kernel, anchor=anchor: cv2.filter2D(
                image, -1, kernel, anchor=anchor, borderType=cv2.BORDER_CONSTANT
            ),
        ]
        if keras is not None:
            layer = keras.layers.Conv2D(1, k, padding="same", use_bias=False)
            layer.build((1, size, size, 1))
            layer.set_weights([kernel[:, :, None, None]])
            contenders.append(lambda layer=layer: keras.ops.convert_to_numpy(layer(batch)))
        times, outputs = _paired_ms(contenders, repeats)
        row: dict[str, Any] = {
            "kernel": k,
            "convnotes_ms": times[0],
            "opencv_ms": times[1],
            "ratio_opencv": times[0] / times[1],
            "max_abs_error_opencv": _max_error(outputs[0], outputs[1]),
        }
        if keras is not None:
            row.update(
                keras_ms=times[2],
                ratio_keras=times[0] / times[2],
                max_abs_error_keras=_max_error(outputs[0], outputs[2][0, :, :, 0]),
            )
        conv_rows.append(row)

    pool_rows = []
    for p in pool_sizes:
        for mode in ("max", "average"):
            contenders = [lambda p=p, mode=mode: pooling.pool2d(image, p, mode=mode)]
            if keras is not None:
                layer_class = (
                    keras.layers.MaxPooling2D if mode == "max" else keras.layers.AveragePooling2D
                )
                layer = layer_class(p)
                contenders.append(lambda layer=layer: keras.ops.convert_to_numpy(layer(batch)))
            times, outputs = _paired_ms(contenders, repeats)
            row = {"pool": p, "mode": mode, "convnotes_ms": times[0]}
            if keras is not None:
                row.update(
                    keras_ms=times[1],
                    ratio_keras=times[0] / times[1],
                    max_abs_error_keras=_max_error(outputs[0], outputs[1][0, :, :, 0]),
                )
            pool_rows.append(row)

    three = next((row for row in conv_rows if row["kernel"] == 3), None)
    call = (
        f"convnotes.benchmarks.run_benchmarks(size={size}, kernel_sizes={kernel_sizes}, "
        f"pool_sizes={pool_sizes}, repeats={repeats}, include_keras={include_keras}, "
        f"seed={seed})"
    )
    return runrecord.make_record(  # type: ignore[return-value]
        runrecord.BENCHMARK_KIND,
        provenance=runrecord.provenance(call, seed=seed),
        wall_time_s=time.perf_counter() - began,
        config=_config(size, repeats, include_keras),
        conv2d=conv_rows,
        pooling=pool_rows,
        metrics=_metrics(conv_rows, pool_rows),
        target={
            "description": "reference 3x3 correlate2d within 5x of cv2.filter2D (one channel)",
            "max_ratio": TARGET_RATIO_3X3,
            "ratio": None if three is None else three["ratio_opencv"],
            "met": None if three is None else three["ratio_opencv"] <= TARGET_RATIO_3X3,
        },
    )


def _metrics(
    conv_rows: list[dict[str, Any]], pool_rows: list[dict[str, Any]]
) -> dict[str, dict[str, float]]:
    """Headline numbers keyed by case, with the ``*_median`` names status pages look for."""
    metrics: dict[str, dict[str, float]] = {}
    for row in conv_rows:
        k = row["kernel"]
        entry = {
            "convnotes_ms_median": row["convnotes_ms"],
            "opencv_ms_median": row["opencv_ms"],
            "time_ratio_vs_opencv_median": row["ratio_opencv"],
        }
        if "keras_ms" in row:
            entry.update(
                keras_ms_median=row["keras_ms"], time_ratio_vs_keras_median=row["ratio_keras"]
            )
        metrics[f"conv2d_{k}x{k}"] = entry
    for row in pool_rows:
        p = row["pool"]
        entry = {"convnotes_ms_median": row["convnotes_ms"]}
        if "keras_ms" in row:
            entry.update(
                keras_ms_median=row["keras_ms"], time_ratio_vs_keras_median=row["ratio_keras"]
            )
        metrics[f"{row['mode']}_pool_{p}x{p}"] = entry
    return metrics


def _keras() -> Any:
    from convnotes._tf import import_keras

    return import_keras()


def _config(size: int, repeats: int, include_keras: bool) -> dict[str, Any]:
    import cv2

    config: dict[str, Any] = {
        "image": f"{size}x{size} float32, one channel",
        "padding": "same (conv2d), valid (pooling)",
        "repeats": repeats,
        "statistic": "median wall time (alternating rounds, one warm-up call)",
        "numpy": np.__version__,
        "opencv": cv2.__version__,
        "opencv_threads": cv2.getNumThreads(),
        "python": platform.python_version(),
    }
    if include_keras:
        keras = _keras()
        import tensorflow as tf

        config.update(keras=keras.__version__, tensorflow=tf.__version__)
    return config


def format_table(results: dict[str, Any]) -> str:
    """The results as plain-text tables."""
    config = results["config"]
    has_keras = "keras" in config
    lines = [
        f"conv2d, {config['image']}, 'same' padding; {config['statistic']} of "
        f"{config['repeats']} calls, in ms"
    ]
    header = f"{'kernel':>7} {'convnotes':>10} {'OpenCV':>8}"
    header += f" {'Keras':>8}" if has_keras else ""
    header += f" {'vs OpenCV':>10}" + (f" {'vs Keras':>9}" if has_keras else "")
    header += f" {'max |diff|':>11}"
    lines.append(header)
    for row in results["conv2d"]:
        k = row["kernel"]
        line = f"{f'{k}x{k}':>7} {row['convnotes_ms']:10.2f} {row['opencv_ms']:8.2f}"
        if has_keras:
            line += f" {row['keras_ms']:8.2f}"
        line += f" {row['ratio_opencv']:9.1f}x"
        if has_keras:
            line += f" {row['ratio_keras']:8.1f}x"
        errors = [row["max_abs_error_opencv"], row.get("max_abs_error_keras", 0.0)]
        line += f" {max(errors):11.1e}"
        lines.append(line)
    lines += ["", "pooling, same image, 'valid'; in ms"]
    header = f"{'pool':>12} {'convnotes':>10}"
    header += f" {'Keras':>8} {'vs Keras':>9} {'max |diff|':>11}" if has_keras else ""
    lines.append(header)
    for row in results["pooling"]:
        p = row["pool"]
        line = f"{row['mode'] + f' {p}x{p}':>12} {row['convnotes_ms']:10.2f}"
        if has_keras:
            line += (
                f" {row['keras_ms']:8.2f} {row['ratio_keras']:8.1f}x"
                f" {row['max_abs_error_keras']:11.1e}"
            )
        lines.append(line)
    target = results["target"]
    if target["ratio"] is not None:
        verdict = "met" if target["met"] else "NOT met"
        lines += [
            "",
            f"target: {target['description']}: {target['ratio']:.1f}x, {verdict} on this machine",
        ]
    return "\n".join(lines)


# --------------------------------------------------------------------------
# Command line: convnotes benchmark
# --------------------------------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of ``convnotes benchmark``."""
    parser.add_argument(
        "--size",
        type=positive_int,
        default=1024,
        help="side of the square test image (default 1024)",
    )
    parser.add_argument(
        "--kernels",
        type=positive_int,
        nargs="+",
        default=[3, 7],
        help="kernel sizes to time (default 3 7)",
    )
    parser.add_argument(
        "--pools", type=positive_int, nargs="+", default=[2], help="pool sizes to time (default 2)"
    )
    parser.add_argument(
        "--repeats",
        type=positive_int,
        default=7,
        help="timed calls per measurement; the median is reported (default 7)",
    )
    parser.add_argument(
        "--opencv-threads",
        type=positive_int,
        default=None,
        help="threads OpenCV may use (default: its own setting)",
    )
    parser.add_argument("--no-keras", action="store_true", help="skip Keras (no TensorFlow import)")
    parser.add_argument(
        "--out", type=Path, default=None, help="also write the results as JSON to this file"
    )


def run(args: argparse.Namespace) -> int:
    """Run the benchmark, print the tables and optionally write JSON."""
    too_large = [p for p in args.pools if p > args.size]
    if too_large:
        raise CommandError(
            f"--pools {too_large[0]}: a pool window must fit in the --size {args.size} image"
        )
    out = writable_file(args.out, "--out") if args.out is not None else None
    results = run_benchmarks(
        size=args.size,
        kernel_sizes=args.kernels,
        pool_sizes=args.pools,
        repeats=args.repeats,
        include_keras=not args.no_keras,
        opencv_threads=args.opencv_threads,
    )
    results["command"] = results["provenance"]["command"] = " ".join(
        [
            "convnotes benchmark",
            f"--size {args.size}",
            "--kernels " + " ".join(map(str, args.kernels)),
            "--pools " + " ".join(map(str, args.pools)),
            f"--repeats {args.repeats}",
        ]
        + ([f"--opencv-threads {args.opencv_threads}"] if args.opencv_threads else [])
        + (["--no-keras"] if args.no_keras else [])
    )
    print(format_table(results))
    if out is not None:
        runrecord.write_record(results, out)
        print(f"\nwrote {out}")
    return 0
