"""Drawings of a kernel sliding over an input, in the style of Dumoulin & Visin.

Dumoulin and Visin's *A guide to convolution arithmetic for deep learning*
(arXiv:1603.07285) draws the input as blue squares, padding as dashed empty
squares, the kernel as a dark shade over the input cells it touches, and the
output as a second grid that fills up as the kernel moves. This module draws
the same pictures for any padding, stride and dilation, from the arithmetic in
:mod:`convnotes.conv`:

* :func:`conv2d_animation` / :func:`conv3d_animation` return a GIF (bytes);
  a volume is shown as its depth slices side by side;
* :func:`gif_html` wraps GIF bytes in an ``<img>`` that a notebook (and the
  built book) displays inline;
* :func:`arithmetic_figure` draws still panels, one per (padding, stride,
  dilation) setting, each with the kernel at its first position and the output
  grid with its size.

The drawings carry no words except in :func:`arithmetic_figure`'s titles,
which follow ``lang``.
"""

from __future__ import annotations

import base64
import itertools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from convnotes.conv import check_padding, output_size, padding_amounts, positive_ints
from convnotes.i18n import localize_digits
from convnotes.presentation.plots import text_props, words

INPUT = "#9ecae1"
INPUT_EDGE = "#3f6f95"
PAD_EDGE = "#9a9a9a"
KERNEL = "#08306b"
OUTPUT_EMPTY = "#ffffff"
OUTPUT_DONE = "#b7e4da"
OUTPUT_NOW = "#1b9e77"
OUTPUT_EDGE = "#1f6f5c"


@dataclass(frozen=True)
class SlidingGeometry:
    """Sizes and positions of a kernel sliding over an (optionally 3D) input."""

    input_size: tuple[int, ...]
    kernel_size: tuple[int, ...]
    pads: tuple[tuple[int, int], ...]
    strides: tuple[int, ...]
    dilations: tuple[int, ...]
    output_size: tuple[int, ...]

    @property
    def padded_size(self) -> tuple[int, ...]:
        return tuple(n + b + a for n, (b, a) in zip(self.input_size, self.pads, strict=True))

    def is_padding(self, index: Sequence[int]) -> bool:
        """Whether a position of the padded input is a padding zero."""
        return any(
            not b <= i < b + n
            for i, n, (b, _) in zip(index, self.input_size, self.pads, strict=True)
        )

    def taps(self, out_index: Sequence[int]) -> list[tuple[int, ...]]:
        """Positions in the padded input that the kernel reads for ``out_index``."""
        ranges = [
            range(o * s, o * s + k * d, d)
            for o, s, k, d in zip(
                out_index, self.strides, self.kernel_size, self.dilations, strict=True
            )
        ]
        return list(itertools.product(*ranges))


def sliding_geometry(
    input_size: Sequence[int],
    kernel_size: Sequence[int],
    padding: str = "valid",
    stride: Any = 1,
    dilation: Any = 1,
) -> SlidingGeometry:
    """Padding, output size and kernel positions for a 2D or 3D sliding window.

    Examples
    --------
    >>> g = sliding_geometry((5, 5), (3, 3), padding="same", stride=2)
    >>> g.pads, g.output_size
    (((1, 1), (1, 1)), (3, 3))
    >>> g.taps((0, 1))[:3]
    [(0, 2), (0, 3), (0, 4)]
    """
    rank = len(input_size)
    sizes = positive_ints(tuple(input_size), rank, "input_size")
    kernel = positive_ints(tuple(kernel_size), rank, "kernel_size")
    padding = check_padding(padding)
    strides = positive_ints(stride, rank, "stride")
    dilations = positive_ints(dilation, rank, "dilation")
    pads = tuple(
        padding_amounts(n, k, padding, s, d)
        for n, k, s, d in zip(sizes, kernel, strides, dilations, strict=True)
    )
    out = tuple(
        output_size(n, k, padding, s, d)
        for n, k, s, d in zip(sizes, kernel, strides, dilations, strict=True)
    )
    return SlidingGeometry(sizes, kernel, pads, strides, dilations, out)


# --------------------------------------------------------------------------
# Drawing
# --------------------------------------------------------------------------


class _Board:
    """The squares of one drawing: input slices and output slices, recoloured per frame."""

    def __init__(
        self, ax: Any, geometry: SlidingGeometry, output_below: bool, slice_labels: bool
    ) -> None:
        from matplotlib.patches import Rectangle

        self.geometry = geometry
        volume = len(geometry.input_size) == 3
        padded = geometry.padded_size if volume else (1, *geometry.padded_size)
        out_size = geometry.output_size if volume else (1, *geometry.output_size)
        gap = 1.2
        self.input_cells: dict[tuple[int, ...], Any] = {}
        self.output_cells: dict[tuple[int, ...], Any] = {}
        self.overlays: dict[tuple[int, ...], Any] = {}
        _, height, width = padded
        for d, r, c in itertools.product(*map(range, padded)):
            index = (d, r, c) if volume else (r, c)
            x, y = d * (width + gap) + c, -r
            pad = geometry.is_padding(index)
            cell = Rectangle(
                (x, y),
                1,
                1,
                facecolor="white" if pad else INPUT,
                edgecolor=PAD_EDGE if pad else INPUT_EDGE,
                linestyle=(0, (2, 2)) if pad else "solid",
                linewidth=1.0,
            )
            ax.add_patch(cell)
            self.input_cells[index] = cell
            shade = Rectangle(
                (x + 0.08, y + 0.08), 0.84, 0.84, facecolor=KERNEL, alpha=0.0, linewidth=0
            )
            ax.add_patch(shade)
            self.overlays[index] = shade
        out_d, out_h, out_w = out_size
        if output_below:
            x0, y0 = 0.0, -(height + gap + 0.6)
            step = out_w + gap
        else:
            x0, y0 = width + 2.5, -(height - out_h) / 2
            step = out_w + gap
        for d, r, c in itertools.product(range(out_d), range(out_h), range(out_w)):
            index = (d, r, c) if volume else (r, c)
            cell = Rectangle(
                (x0 + d * step + c, y0 - r),
                1,
                1,
                facecolor=OUTPUT_EMPTY,
                edgecolor=OUTPUT_EDGE,
                linewidth=1.0,
            )
            ax.add_patch(cell)
            self.output_cells[index] = cell
        if volume and slice_labels:
            for d in range(padded[0]):
                ax.text(
                    d * (width + gap) + width / 2,
                    1.25,
                    f"$d={d}$",
                    ha="center",
                    va="bottom",
                    fontsize=9,
                    color="#333333",
                )
            for d in range(out_d):
                ax.text(
                    x0 + d * step + out_w / 2,
                    y0 + 1.25,
                    f"$d={d}$",
                    ha="center",
                    va="bottom",
                    fontsize=9,
                    color="#333333",
                )
        right = max(padded[0] * (width + gap), x0 + out_d * step)
        bottom = min(-(height - 1), y0 - (out_h - 1)) - 0.3
        ax.set_xlim(-0.3, right)
        ax.set_ylim(bottom, 2.2 if volume and slice_labels else 1.3)
        ax.set_aspect("equal")
        ax.axis("off")

    def show(self, frame: int) -> list[Any]:
        """Colour the board for the ``frame``-th output position (raster order)."""
        positions = list(itertools.product(*map(range, self.geometry.output_size)))
        current = positions[frame]
        taps = set(self.geometry.taps(current))
        for index, shade in self.overlays.items():
            shade.set_alpha(0.55 if index in taps else 0.0)
        for rank, index in enumerate(positions):
            colour = OUTPUT_NOW if rank == frame else OUTPUT_DONE if rank < frame else OUTPUT_EMPTY
            self.output_cells[index].set_facecolor(colour)
        return [*self.overlays.values(), *self.output_cells.values()]


def _animate(
    geometry: SlidingGeometry,
    figsize: tuple[float, float],
    output_below: bool,
    fps: float,
    dpi: int,
) -> bytes:
    import tempfile
    from pathlib import Path

    import matplotlib.pyplot as plt
    from matplotlib.animation import FuncAnimation, PillowWriter

    fig, ax = plt.subplots(figsize=figsize, dpi=dpi)
    fig.subplots_adjust(0.01, 0.01, 0.99, 0.99)
    board = _Board(ax, geometry, output_below, slice_labels=True)
    frames = 1
    for n in geometry.output_size:
        frames *= n
    animation = FuncAnimation(fig, board.show, frames=frames, blit=False)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "sliding.gif"
        animation.save(path, writer=PillowWriter(fps=fps), dpi=dpi)
        data = path.read_bytes()
    plt.close(fig)
    return data


def conv2d_animation(
    input_size: Sequence[int] = (5, 5),
    kernel_size: Sequence[int] = (3, 3),
    padding: str = "valid",
    stride: Any = 1,
    dilation: Any = 1,
    fps: float = 2.0,
    dpi: int = 72,
) -> bytes:
    """GIF of a 2D kernel sliding over an input (left) and filling the output (right).

    Examples
    --------
    >>> gif = conv2d_animation((4, 4), (3, 3))
    >>> gif[:6]
    b'GIF89a'
    """
    geometry = sliding_geometry(input_size, kernel_size, padding, stride, dilation)
    height, width = geometry.padded_size
    out_w = geometry.output_size[1]
    figsize = (0.42 * (width + out_w + 3), 0.42 * (height + 1.5))
    return _animate(geometry, figsize, output_below=False, fps=fps, dpi=dpi)


def conv3d_animation(
    input_size: Sequence[int] = (4, 4, 4),
    kernel_size: Sequence[int] = (2, 3, 3),
    padding: str = "valid",
    stride: Any = 1,
    dilation: Any = 1,
    fps: float = 3.0,
    dpi: int = 72,
) -> bytes:
    """GIF of a 3D kernel sliding along depth, height and width of a volume.

    The volume's depth slices are drawn side by side (top row), the output
    volume's slices below it; the kernel shades cells in ``k_d`` consecutive
    slices at once.

    Examples
    --------
    >>> conv3d_animation((3, 3, 3), (2, 2, 2))[:6]
    b'GIF89a'
    """
    geometry = sliding_geometry(input_size, kernel_size, padding, stride, dilation)
    depth, height, width = geometry.padded_size
    out_h = geometry.output_size[1]
    figsize = (0.36 * depth * (width + 1.2), 0.36 * (height + out_h + 4))
    return _animate(geometry, figsize, output_below=True, fps=fps, dpi=dpi)


def gif_html(data: bytes, alt: str, width: int | None = None) -> Any:
    """An ``IPython.display.HTML`` image holding the GIF inline (base64 data URI)."""
    from html import escape

    from IPython.display import HTML

    encoded = base64.b64encode(data).decode("ascii")
    size = f' width="{width}"' if width else ""
    return HTML(
        f'<img src="data:image/gif;base64,{encoded}" alt="{escape(alt)}"{size} '
        'style="max-width:100%;height:auto" />'
    )


def arithmetic_figure(
    cases: Iterable[dict[str, Any]],
    lang: str,
    input_size: int = 5,
    kernel_size: int = 3,
    columns: int = 3,
) -> Any:
    """Still panels: the kernel at its first position and the output grid, one per case.

    Each case is a dict of ``padding``, ``stride`` and ``dilation`` (defaults
    "valid", 1, 1). Titles give the setting and the output size in ``lang``.
    """
    import matplotlib.pyplot as plt

    cases = list(cases)
    rows = -(-len(cases) // columns)
    fig, axes = plt.subplots(rows, columns, figsize=(3.6 * columns, 2.7 * rows), squeeze=False)
    for ax, case in zip(axes.flat, cases, strict=False):
        padding = case.get("padding", "valid")
        stride, dilation = case.get("stride", 1), case.get("dilation", 1)
        geometry = sliding_geometry(
            (input_size, input_size), (kernel_size, kernel_size), padding, stride, dilation
        )
        _Board(ax, geometry, output_below=False, slice_labels=False).show(0)
        n_out = geometry.output_size[0]
        setting = words(
            lang,
            f"{padding}, stride {stride}, dilation {dilation}",
            f"حاشیه‌گذاری {padding}، گام {stride}، اتساع {dilation}",
        )
        title = localize_digits(f"{setting}\n{input_size}×{input_size} → {n_out}×{n_out}", lang)
        ax.set_title(title, fontsize=10, **text_props(lang))
    for ax in list(axes.flat)[len(cases) :]:
        ax.axis("off")
    fig.tight_layout()
    return fig
