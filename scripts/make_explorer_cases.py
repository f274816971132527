#!/usr/bin/env python3
"""What the in-page explorers must compute, computed by the ``convnotes`` package.

    python scripts/make_explorer_cases.py             # cases -> _build/explorer-cases.json
    python scripts/make_explorer_cases.py --out F     # cases -> F
    python scripts/make_explorer_cases.py --data      # rewrite the kernel playground's data
    python scripts/make_explorer_cases.py --check     # exit 1 if that data file is stale

The explorers (``book/_static/explorers/*.js``) redo the package's arithmetic in the
reader's browser. This script writes the cases they are checked against:

* conv arithmetic: ``conv.output_size`` and ``conv.padding_amounts`` for thousands of
  (n, k, padding, stride, dilation), the refused ones with the package's message; the
  explorer's "explicit" padding is ``output_size(n + p_b + p_a, k, "valid", s, d)``
  (symmetric cases checked against ``params.conv_output_length``);
* receptive field: ``conv.receptive_field_growth`` of random stacks;
* pooling: ``pooling.pool2d`` and ``pooling.adaptive_pool2d`` of random small maps;
* kernel playground: ``filters.apply_filter`` (float) and ``cv2.filter2D(..., -1, ...)``
  (uint8) of the shipped photos for every kernel and border mode, as sums, samples
  and a hash of the uint8 image;
* Hyperband: ``schedule.keras_tuner_schedule`` and ``schedule.paper_schedule``.

The cases are regenerated wherever they are used (``tests/test_explorers.py``,
``scripts/browser_check.py``), so they cannot go stale. The one generated file that is
committed is ``book/_static/explorers/kernel-playground-data.js`` (the 128 x 128 gray
photos, the kernels' weights and titles, the colour map); ``--check`` and a test fail
when it differs from what this script writes.
"""

from __future__ import annotations

import argparse
import base64
import functools
import json
import random
import sys
from pathlib import Path
from typing import Any

import numpy as np

from convnotes.i18n import Text

ROOT = Path(__file__).resolve().parent.parent
EXPLORERS = ROOT / "book" / "_static" / "explorers"
DATA_JS = EXPLORERS / "kernel-playground-data.js"
DEFAULT_OUT = ROOT / "_build" / "explorer-cases.json"
SIZE = 128
#: Photo -> (side of the centred square crop, block averaged down to SIZE).
PHOTOS = {"camera": (512, 4), "brick": (512, 4), "chelsea": (256, 2), "coffee": (384, 3)}
PHOTO_TITLES = {
    "camera": Text("cameraman", "عکاس (camera)"),
    "brick": Text("brick wall", "دیوار آجری (brick)"),
    "chelsea": Text("Chelsea the cat", "گربه (chelsea)"),
    "coffee": Text("coffee cup", "فنجان قهوه (coffee)"),
}
#: Values that a reader may type where a positive integer is wanted.
BAD_NUMBERS = (0, -1, -7, 2.5, 1e-05, 0.5, -3.5, 12345.25)


# --------------------------------------------------------------- the photos --
@functools.cache
def photo_pixels(name: str) -> np.ndarray:
    """The SIZE x SIZE uint8 gray version of a book photo: a centred square crop of
    ``filters.sample_image(name, gray=True)``, block-averaged and rounded (NumPy only,
    so the bytes do not depend on an OpenCV build).

    >>> photo_pixels("camera").shape, photo_pixels("camera").dtype
    ((128, 128), dtype('uint8'))
    """
    from convnotes import filters

    side, block = PHOTOS[name]
    image = filters.sample_image(name, gray=True).image
    top, left = (image.shape[0] - side) // 2, (image.shape[1] - side) // 2
    crop = image[top : top + side, left : left + side].astype(np.float64)
    small = np.round(crop.reshape(SIZE, block, SIZE, block).mean(axis=(1, 3))).astype(np.uint8)
    small.setflags(write=False)
    return small


def _colormap(name: str) -> str:
    """256 RGB entries of a Matplotlib colour map as one hex string."""
    import matplotlib

    rgba = matplotlib.colormaps[name](np.linspace(0, 1, 256))
    rgb = np.round(rgba[:, :3] * 255).astype(np.uint8)
    return rgb.tobytes().hex()


def playground_data() -> dict[str, Any]:
    """Photos, kernels, border modes and the signed colour map of the kernel playground."""
    from convnotes import filters
    from convnotes.presentation import filters as figures_filters

    photos = []
    for name in PHOTOS:
        photos.append(
            {
                "name": name,
                "title": dict(PHOTO_TITLES[name]),
                "credit": dict(figures_filters.CREDITS[name]),
                "pixels": base64.b64encode(photo_pixels(name).tobytes()).decode("ascii"),
            }
        )
    homework = {kernel: label for label, kernel in filters.SOURCE_KERNELS.items()}
    kernels = [
        {
            "name": name,
            "title": dict(figures_filters.KERNEL_TITLES[name]),
            "homework": homework.get(name),
            "weights": filters.get_kernel(name).tolist(),
        }
        for name in filters.KERNEL_NAMES
    ]
    return {
        "size": SIZE,
        "photos": photos,
        "kernels": kernels,
        "borders": list(filters.BORDER_MODES),
        "signedColormap": _colormap("RdBu_r"),
    }


def playground_js(data: dict[str, Any] | None = None) -> str:
    """The text of ``kernel-playground-data.js``."""
    data = playground_data() if data is None else data
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (
        "// Generated by scripts/make_explorer_cases.py --data from convnotes.filters and the\n"
        "// scikit-image photographs the filters chapter uses: do not edit by hand.\n"
        "(function (root) {\n"
        '  "use strict";\n'
        "  const CE = (root.ConvnotesExplorers = root.ConvnotesExplorers || {});\n"
        f"  CE.playgroundData = {body};\n"
        '})(typeof globalThis !== "undefined" ? globalThis : this);\n'
    )


# -------------------------------------------------------------------- cases --
def _error(error: Exception) -> dict[str, str]:
    return {"error": type(error).__name__, "message": str(error)}


def conv_axis(
    n: Any, k: Any, padding: str, stride: Any, dilation: Any, before: Any = 0, after: Any = 0
) -> tuple[int, int, int]:
    """(output size, zeros before, zeros after) along one axis, as the explorer shows them.

    >>> conv_axis(6, 4, "same", 1, 1), conv_axis(5, 3, "explicit", 2, 1, 2, 0)
    ((6, 1, 2), (3, 2, 0))
    """
    from convnotes import conv, params

    if padding != "explicit":
        out = conv.output_size(n, k, padding, stride, dilation)
        return (out, *conv.padding_amounts(n, k, padding, stride, dilation))
    conv.positive_ints(n, 1, "n")
    for name, value in (("padding before", before), ("padding after", after)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ValueError(f"{name} must be a non-negative integer, got {value!r}")
    try:
        out = conv.output_size(n + before + after, k, "valid", stride, dilation)
    except ValueError:
        if before == after and all(isinstance(v, int) and v > 0 for v in (k, stride, dilation)):
            try:  # the symmetric case, by Dumoulin & Visin's relation
                params.conv_output_length(n, k, stride, before, dilation)
            except ValueError:
                pass
            else:
                raise AssertionError("params.conv_output_length accepts a refused case") from None
        raise
    if before == after:
        assert out == params.conv_output_length(n, k, stride, before, dilation)
    return out, before, after


def conv_cases() -> list[dict[str, Any]]:
    cases = []

    def add(n: Any, k: Any, padding: str, s: Any, d: Any, b: Any = 0, a: Any = 0) -> None:
        case: dict[str, Any] = {"n": n, "k": k, "padding": padding, "stride": s, "dilation": d}
        if padding == "explicit":
            case |= {"before": b, "after": a}
        try:
            out, before, after = conv_axis(n, k, padding, s, d, b, a)
            case["expect"] = {"out": out, "before": before, "after": after}
        except (TypeError, ValueError) as error:
            case["expect"] = _error(error)
        cases.append(case)

    sizes = [*range(1, 13), 15, 16, 28, 32, 33, 224]
    for padding in ("valid", "same", "full"):
        for n in sizes:
            for k in range(1, 8):
                for s in range(1, 5):
                    for d in range(1, 4):
                        add(n, k, padding, s, d)
    for n in range(1, 9):
        for k in range(1, 6):
            for s in range(1, 4):
                for d in (1, 2):
                    for b, a in ((0, 0), (1, 1), (0, 1), (2, 1), (3, 0)):
                        add(n, k, "explicit", s, d, b, a)
    for padding in ("valid", "same", "full", "explicit"):
        for bad in BAD_NUMBERS:
            for position in range(4):
                values = [7, 3, 2, 1]
                values[position] = bad
                add(values[0], values[1], padding, values[2], values[3], 1, 1)
    for bad in (-1, 1.5, -2):
        add(5, 3, "explicit", 1, 1, bad, 0)
        add(5, 3, "explicit", 1, 1, 0, bad)
        add(-1, 3, "explicit", 1, 1, bad, 0)  # n is checked first
        add(5, 0, "explicit", 1, 1, bad, 0)  # the padding before the kernel
    return cases


def receptive_field_cases() -> list[dict[str, Any]]:
    from convnotes import conv

    rng = random.Random(18)
    stacks: list[tuple[list[Any], list[Any], list[Any]]] = []
    for kind in ("plain", "pool", "stride", "dilation"):  # the chapter's four stacks
        ks, ss, ds = [], [], []
        for i in range(4):
            if kind == "pool" and i:
                ks, ss, ds = [*ks, 2], [*ss, 2], [*ds, 1]
            ks.append(3)
            ss.append(2 if kind == "stride" else 1)
            ds.append(2**i if kind == "dilation" else 1)
        stacks.append((ks, ss, ds))
    for _ in range(2500):
        depth = rng.randint(1, 8)
        ks, ss, ds = [], [], []
        for _ in range(depth):
            if rng.random() < 0.3:  # pooling: window = stride (or overlapping), no dilation
                window = rng.randint(1, 4)
                ks.append(window)
                ss.append(window if rng.random() < 0.7 else rng.randint(1, 3))
                ds.append(1)
            else:
                ks.append(rng.randint(1, 7))
                ss.append(rng.randint(1, 3))
                ds.append(rng.randint(1, 4))
        stacks.append((ks, ss, ds))
    for bad in BAD_NUMBERS:
        for which in range(3):
            lists = [[3, 3, 2], [1, 1, 2], [1, 2, 1]]
            lists[which][rng.randint(0, 2)] = bad
            stacks.append((lists[0], lists[1], lists[2]))
    stacks.append(([], [], []))
    cases = []
    for ks, ss, ds in stacks:
        case: dict[str, Any] = {"kernel_sizes": ks, "strides": ss, "dilations": ds}
        try:
            growth = conv.receptive_field_growth(ks, ss, ds)
            assert conv.receptive_field(ks, ss, ds) == growth[-1][0]
            case["expect"] = {"growth": [list(pair) for pair in growth]}
        except (TypeError, ValueError) as error:
            case["expect"] = _error(error)
        cases.append(case)
    return cases


def pooling_cases() -> list[dict[str, Any]]:
    from convnotes import pooling

    rng = np.random.default_rng(18)
    cases: list[dict[str, Any]] = []

    def feature_map(integer: bool) -> np.ndarray:
        shape = tuple(int(v) for v in rng.integers(1, 8, size=2))
        if integer:
            return rng.integers(-9, 10, size=shape)
        return np.round(rng.normal(0, 3, size=shape), 2)

    def run(case: dict[str, Any], call: Any) -> None:
        try:
            case["expect"] = {"value": np.asarray(call()).tolist()}
        except (TypeError, ValueError) as error:
            case["expect"] = _error(error)
        cases.append(case)

    for i in range(1600):
        x = feature_map(integer=i % 3 != 0)
        pool = [int(v) for v in rng.integers(1, 5, size=2)]
        strides = None if i % 4 == 0 else [int(v) for v in rng.integers(1, 4, size=2)]
        padding = ("valid", "same")[i % 2]
        mode = pooling.MODES[i % 3]
        case = {"kind": "pool2d", "x": x.tolist(), "pool_size": pool, "strides": strides}
        case |= {"padding": padding, "mode": mode}
        run(
            case,
            lambda x=x, c=case: pooling.pool2d(
                x, c["pool_size"], c["strides"], c["padding"], c["mode"]
            ),
        )
    for i in range(600):
        x = feature_map(integer=i % 2 == 0)
        out = [int(v) for v in rng.integers(1, 9, size=2)]
        mode = pooling.MODES[i % 3]
        case = {"kind": "adaptive", "x": x.tolist(), "output_size": out, "mode": mode}
        run(case, lambda x=x, out=out, mode=mode: pooling.adaptive_pool2d(x, out, mode))
    x = np.arange(12).reshape(3, 4)
    for bad in BAD_NUMBERS:
        for place in range(2):
            pool = [2, 2]
            pool[place] = bad
            case = {"kind": "pool2d", "x": x.tolist(), "pool_size": pool, "strides": None}
            case |= {"padding": "valid", "mode": "max"}
            run(case, lambda pool=pool: pooling.pool2d(x, pool, padding="valid"))
            strides = [1, 1]
            strides[place] = bad
            case = {"kind": "pool2d", "x": x.tolist(), "pool_size": [2, 2], "strides": strides}
            case |= {"padding": "same", "mode": "min"}
            run(case, lambda s=strides: pooling.pool2d(x, 2, strides=s, padding="same", mode="min"))
            out = [2, 2]
            out[place] = bad
            case = {"kind": "adaptive", "x": x.tolist(), "output_size": out, "mode": "average"}
            run(case, lambda out=out: pooling.adaptive_pool2d(x, out, "average"))
    return cases


def _fnv1a(data: bytes) -> int:
    """32-bit FNV-1a hash (the explorers' test computes the same)."""
    value = 0x811C9DC5
    for byte in data:
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value


def sample_positions(size: int = SIZE, band: int = 2, interior: int = 200) -> list[list[int]]:
    """Pixels where the playground's float results are compared: every pixel within
    ``band`` of the border (where the border modes differ) and some inside."""
    positions = [[r, c] for r in range(size) for c in range(size)
                 if min(r, c, size - 1 - r, size - 1 - c) < band]  # fmt: skip
    rng = random.Random(128)
    inside = range(band, size - band)
    positions += [[rng.choice(inside), rng.choice(inside)] for _ in range(interior)]
    return positions


def playground_cases() -> dict[str, Any]:
    import cv2

    from convnotes import filters

    positions = sample_positions()
    rows = np.array([p[0] for p in positions])
    cols = np.array([p[1] for p in positions])
    rng = np.random.default_rng(5)
    custom: list[list[list[float]]] = []
    for size in (3, 3, 3, 5, 5, 5):
        custom.append(rng.integers(-4, 5, size=(size, size)).astype(float).tolist())
        custom.append(np.round(rng.normal(0, 0.5, size=(size, size)), 3).tolist())
    plan: list[tuple[str, Any]] = [
        (photo, name) for photo in PHOTOS for name in filters.KERNEL_NAMES
    ]
    plan += [("brick" if i % 2 else "chelsea", weights) for i, weights in enumerate(custom)]
    cases = []
    for photo, kernel in plan:
        image = photo_pixels(photo)
        weights = filters.get_kernel(kernel) if isinstance(kernel, str) else np.array(kernel)
        for border, flag in filters.BORDER_MODES.items():
            exact = filters.apply_filter(image, kernel if isinstance(kernel, str) else weights,
                                         border=border).astype(np.float64)  # fmt: skip
            clipped = cv2.filter2D(image, -1, weights, borderType=flag)
            cases.append(
                {
                    "photo": photo,
                    "kernel": kernel,
                    "border": border,
                    "expect": {
                        "sum": float(exact.sum()),
                        "abs_sum": float(np.abs(exact).sum()),
                        "min": float(exact.min()),
                        "max": float(exact.max()),
                        "samples": [round(float(v), 4) for v in exact[rows, cols]],
                        "uint8_fnv1a": _fnv1a(clipped.tobytes()),
                        "uint8_sum": int(clipped.astype(np.int64).sum()),
                    },
                }
            )
            if not isinstance(kernel, str):
                # Typed weights can put a sum exactly on a .5 tie, which OpenCV's float32
                # and the browser's float64 may round apart: keep the whole image.
                image_b64 = base64.b64encode(clipped.tobytes()).decode("ascii")
                cases[-1]["expect"]["uint8_b64"] = image_b64
    return {"positions": positions, "cases": cases}


def hyperband_cases() -> dict[str, list[dict[str, Any]]]:
    from convnotes.tuning import schedule

    def rows(sched: Any) -> dict[str, Any]:
        return {
            "rounds": [
                [r.iteration, r.bracket, r.round, r.models, r.epochs, r.initial_epoch]
                for r in sched.rounds
            ],  # fmt: skip
            "trials": sched.trials,
            "configurations": sched.configurations,
            "epochs": sched.epochs,
            "epochs_from_scratch": sched.epochs_from_scratch,
        }

    settings: list[tuple[Any, Any, Any]] = [(m, f, 1) for m in range(1, 201) for f in range(2, 9)]
    for f in range(2, 11):  # around the powers of factor, where log_f(max_epochs) is whole
        power = f
        while power <= 10_000:
            settings += [(power - 1, f, 1), (power, f, 1), (power + 1, f, 1)]
            power *= f
    settings += [(m, f, i) for m, f in ((10, 3), (81, 3), (27, 3), (8, 2), (50, 4)) for i in (2, 3)]
    settings += [(bad, 3, 1) for bad in (0, -1, 2.5)] + [(10, bad, 1) for bad in (1, 0, 2.5)]
    settings += [(10, 3, bad) for bad in (0, 1.5)]
    kt, paper = [], []
    for m, f, i in dict.fromkeys(settings):
        case: dict[str, Any] = {"max_epochs": m, "factor": f, "hyperband_iterations": i}
        try:
            case["expect"] = rows(schedule.keras_tuner_schedule(m, f, i))
        except (TypeError, ValueError) as error:
            case["expect"] = _error(error)
        kt.append(case)
        if i == 1:
            case = {"max_resource": m, "eta": f}
            try:
                case["expect"] = rows(schedule.paper_schedule(m, f))
            except (TypeError, ValueError) as error:
                case["expect"] = _error(error)
            paper.append(case)
    return {"keras_tuner": kt, "paper": paper}


def build_cases() -> dict[str, Any]:
    """Every case, by explorer."""
    return {
        "conv_arithmetic": conv_cases(),
        "receptive_field": receptive_field_cases(),
        "pooling": pooling_cases(),
        "kernel_playground": playground_cases(),
        "hyperband": hyperband_cases(),
    }


def write_cases(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(build_cases(), separators=(",", ":")), encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="where to write the cases")
    parser.add_argument("--data", action="store_true", help=f"rewrite {DATA_JS.name}")
    parser.add_argument("--check", action="store_true", help=f"exit 1 if {DATA_JS.name} is stale")
    args = parser.parse_args(argv)
    if args.check:
        current = DATA_JS.read_text(encoding="utf-8") if DATA_JS.exists() else ""
        if current != playground_js():
            print(f"{DATA_JS.relative_to(ROOT)} is stale: run {Path(__file__).name} --data")
            return 1
        print(f"{DATA_JS.relative_to(ROOT)} is up to date")
        return 0
    if args.data:
        DATA_JS.write_text(playground_js(), encoding="utf-8")
        print(f"wrote {DATA_JS.relative_to(ROOT)}")
        return 0
    path = write_cases(args.out)
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
