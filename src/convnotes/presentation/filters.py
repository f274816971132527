"""Figures of the filters chapter, the kernels' names and the photographs' credits.

The computations live in :mod:`convnotes.filters` (``apply_filter``, ``gradient``,
``log_kernel``, ``zero_crossings``, ``sample_image``); these functions only draw their
results and name them in the page language. Every figure function takes ``lang``.

Examples
--------
>>> from convnotes import filters
>>> credit(filters.sample_image("camera"), "en")
"Photograph “camera” by Lav Varshney, CC0, from scikit-image's sample data."
>>> KERNEL_TITLES["sobel_x"]["fa"]
'سوبل x'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from fractions import Fraction
from types import MappingProxyType
from typing import Any

import numpy as np

from convnotes.filters import (
    BORDER_MODES,
    apply_filter,
    blurred_step,
    border_profiles,
    box_kernel,
    check_image,
    direction_error,
    get_kernel,
    gradient,
    impulse_responses,
    is_signed_kernel,
    uint8_pitfall,
)
from convnotes.filters import SampleImage as SampleImage
from convnotes.i18n import Text, check_language, localize_digits
from convnotes.presentation.plots import legend, style_axes, text_props, words

# ---------------------------------------------------------------------------
# Names and credits
# ---------------------------------------------------------------------------

#: Display names of the kernels, in both languages.
KERNEL_TITLES: Mapping[str, Text] = MappingProxyType(
    {
        "box": Text("3×3 box blur", "میانگین‌گیر جعبه‌ای ۳×۳"),
        "laplacian": Text("Laplacian (4-neighbour)", "لاپلاسین چهارهمسایه‌ای"),
        "laplacian_8": Text("Laplacian (8-neighbour)", "لاپلاسین هشت‌همسایه‌ای"),
        "sobel_y": Text("Sobel y", "سوبل y"),
        "sobel_x": Text("Sobel x", "سوبل x"),
        "gaussian": Text("Gaussian 5×5, σ = 1", "گاوسی ۵×۵، σ = ۱"),
        "sharpen": Text("Sharpen", "تیزکننده"),
        "scharr_y": Text("Scharr y", "شار y"),
        "scharr_x": Text("Scharr x", "شار x"),
        "prewitt_y": Text("Prewitt y", "پرویت y"),
        "prewitt_x": Text("Prewitt x", "پرویت x"),
    }
)


_SCIKIT = Text("from scikit-image's sample data", "از داده‌های نمونهٔ scikit-image")
_PD_FA = "در مالکیت عمومی (public domain)"

#: The credit line each photograph's caption carries, in both languages (the author and
#: licence are :class:`convnotes.filters.SampleImage` fields).
CREDITS: Mapping[str, Text] = MappingProxyType(
    {
        "camera": Text(
            f"Photograph “camera” by Lav Varshney, CC0, {_SCIKIT.en}.",
            f"عکس «camera» از Lav Varshney، با مجوز CC0، {_SCIKIT.fa}.",
        ),
        "astronaut": Text(
            "Astronaut Eileen Collins, from the NASA Great Images database, public domain, "
            f"{_SCIKIT.en}.",
            f"فضانورد آیلین کالینز (Eileen Collins)، از پایگاه NASA Great Images، {_PD_FA}، "
            f"{_SCIKIT.fa}.",
        ),
        "coffee": Text(
            f"Coffee cup by Rachel Michetti, courtesy of Pikolo Espresso Bar, CC0, {_SCIKIT.en}.",
            "فنجان قهوه، عکس از Rachel Michetti به لطف Pikolo Espresso Bar، با مجوز CC0، "
            f"{_SCIKIT.fa}.",
        ),
        "chelsea": Text(
            f"Chelsea the cat by Stefan van der Walt, CC0, {_SCIKIT.en}.",
            f"گربه‌ای به نام Chelsea، عکس از Stefan van der Walt، با مجوز CC0، {_SCIKIT.fa}.",
        ),
        "brick": Text(
            "Brick wall: texture Bricks25 from CC0Textures, CC0; perspective-corrected, "
            f"rotated and cropped by scikit-image, {_SCIKIT.en}.",
            "دیوار آجری: بافت Bricks25 از CC0Textures، با مجوز CC0؛ تصحیح پرسپکتیو، چرخش و "
            f"برش به دست scikit-image، {_SCIKIT.fa}.",
        ),
        "rocket": Text(
            f"Launch of DSCOVR on a Falcon 9, photograph by SpaceX, public domain, {_SCIKIT.en}.",
            f"پرتاب DSCOVR با موشک Falcon 9، عکس از SpaceX، {_PD_FA}، {_SCIKIT.fa}.",
        ),
    }
)


def credit(sample: SampleImage, lang: str) -> str:
    """The credit line of ``sample`` (from :func:`convnotes.filters.sample_image`) in ``lang``.

    Examples
    --------
    >>> from convnotes import filters
    >>> print(credit(filters.sample_image("chelsea"), "fa"))
    گربه‌ای به نام Chelsea، عکس از Stefan van der Walt، با مجوز CC0، از داده‌های نمونهٔ scikit-image.
    """
    return CREDITS[sample.name][lang]


#: The names of the gradient operators of :func:`convnotes.filters.gradient`.
OPERATOR_NAMES: Mapping[str, Text] = MappingProxyType(
    {
        "sobel": Text("Sobel", "سوبل"),
        "scharr": Text("Scharr", "شار"),
        "prewitt": Text("Prewitt", "پرویت"),
    }
)


# ---------------------------------------------------------------------------
# Figure helpers
# ---------------------------------------------------------------------------

_DPI = 100
_SIGNED_CMAP = "RdBu_r"
# Figures are about 9-11 inches wide and scaled down to the page's text column:
# slightly larger type keeps titles and tick labels readable there.
_RC = {
    "font.size": 12,
    "axes.titlesize": 13,
    "axes.labelsize": 12,
    "xtick.labelsize": 10.5,
    "ytick.labelsize": 10.5,
    "legend.fontsize": 10,
}


def _book_style(plot: Any) -> Any:
    """Run a figure function under the book's font sizes."""
    from functools import wraps

    @wraps(plot)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with _plt().rc_context(_RC):
            return plot(*args, **kwargs)

    return wrapper


def _plt() -> Any:
    import matplotlib.pyplot as plt

    return plt


def _number(value: float, lang: str, fmt: str = "g") -> str:
    return localize_digits(format(value, fmt), lang)


def _localize_ticks(axis: Any, lang: str) -> None:
    """Write tick labels with the digits of ``lang``."""
    if lang != "fa":
        return
    from matplotlib.ticker import FuncFormatter

    axis.set_major_formatter(FuncFormatter(lambda value, _: _number(round(value, 6), lang)))


def _kernel_title(name: str, lang: str) -> str:
    return KERNEL_TITLES[name][lang]


def _robust_limit(array: np.ndarray, percentile: float = 99.5) -> float:
    limit = float(np.percentile(np.abs(array), percentile))
    return limit if limit > 0 else max(float(np.abs(array).max()), 1.0)


def _colorbar(fig: Any, ax: Any, mappable: Any, lang: str, **kwargs: Any) -> Any:
    """A colour bar exactly as tall as the image in ``ax``, with ticks in ``lang``."""
    from mpl_toolkits.axes_grid1 import make_axes_locatable

    cax = make_axes_locatable(ax).append_axes("right", size="5%", pad=0.06)
    bar = fig.colorbar(mappable, cax=cax, **kwargs)
    _localize_ticks(bar.ax.yaxis, lang)
    for tick in bar.ax.get_yticklabels():
        tick.set_fontfamily(text_props(lang)["fontfamily"])
    return bar


def _show(
    fig: Any,
    ax: Any,
    array: np.ndarray,
    lang: str,
    title: str,
    *,
    signed: bool,
    limit: float | None = None,
    colorbar: bool = True,
) -> Any:
    """Show ``array``: gray for intensities, a diverging map centred at 0 for signed responses."""
    if signed:
        limit = _robust_limit(array) if limit is None else limit
        shown = ax.imshow(array, cmap=_SIGNED_CMAP, vmin=-limit, vmax=limit)
        extend = "both" if float(np.abs(array).max()) > limit else "neither"
    else:
        shown = ax.imshow(array, cmap="gray", vmin=None if limit is None else 0, vmax=limit)
        extend = "neither"
    ax.set_xticks([])
    ax.set_yticks([])
    style_axes(ax, lang, title=title)
    if colorbar:
        _colorbar(fig, ax, shown, lang, extend=extend)
    return shown


def _format_weight(weight: float, lang: str) -> str:
    fraction = Fraction(weight).limit_denominator(256)
    if abs(float(fraction) - weight) < 1e-12:
        text = str(fraction)
    else:
        text = f"{weight:.3f}" if abs(weight) < 1 else f"{weight:.2f}"
    return localize_digits(text.replace("-", "−"), lang)


@_book_style
def plot_kernels(names: Sequence[str], lang: str, *, ncols: int | None = None) -> Any:
    """The weights of the named kernels as annotated grids (red positive, blue negative)."""
    check_language(lang)
    plt = _plt()
    ncols = len(names) if ncols is None else ncols
    nrows = -(-len(names) // ncols)
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(2.3 * ncols, 2.5 * nrows), dpi=_DPI, squeeze=False
    )
    for ax, name in zip(axes.flat, names, strict=False):
        kernel = get_kernel(name)
        limit = float(np.abs(kernel).max())
        ax.imshow(kernel, cmap=_SIGNED_CMAP, vmin=-limit * 1.6, vmax=limit * 1.6)
        size = 11 if kernel.shape[0] <= 3 else 7.5
        for (row, col), weight in np.ndenumerate(kernel):
            ax.text(
                col,
                row,
                _format_weight(weight, lang),
                ha="center",
                va="center",
                fontsize=size,
                **text_props(lang),
            )
        ax.set_xticks(np.arange(kernel.shape[1] + 1) - 0.5, minor=True)
        ax.set_yticks(np.arange(kernel.shape[0] + 1) - 0.5, minor=True)
        ax.grid(which="minor", color="white", linewidth=1.5)
        ax.tick_params(which="both", length=0, labelbottom=False, labelleft=False)
        style_axes(ax, lang, title=_kernel_title(name, lang))
    for ax in axes.flat[len(names) :]:
        ax.axis("off")
    fig.tight_layout()
    return fig


@_book_style
def plot_filter_responses(
    image: Any,
    names: Sequence[str],
    lang: str,
    *,
    ncols: int = 3,
    border: str = "reflect_101",
    with_magnitude: bool = False,
) -> Any:
    """``image`` and its response to each named kernel, with colour bars.

    Kernels whose weights sum to 1 give intensities (gray, same scale as the
    image); kernels whose weights sum to 0 give signed responses (``RdBu_r``,
    centred at 0, limits at the 99.5th percentile of the absolute response).
    ``with_magnitude`` adds the Sobel gradient magnitude as a last panel.
    """
    image = check_image(image, allow_channels=False)
    plt = _plt()
    panels = [(words(lang, "Input", "ورودی"), image, False)]
    for name in names:
        panels.append(
            (
                _kernel_title(name, lang),
                apply_filter(image, name, border=border),
                is_signed_kernel(name),
            )
        )
    if with_magnitude:
        magnitude = gradient(image, "sobel", border=border)[0]
        panels.append(
            (words(lang, "Sobel magnitude √(gx² + gy²)", "اندازهٔ گرادیان سوبل"), magnitude, None)
        )
    nrows = -(-len(panels) // ncols)
    fig, axes = plt.subplots(
        nrows, ncols, figsize=(3.1 * ncols, 2.8 * nrows), dpi=_DPI, squeeze=False
    )
    top = 255.0 if image.dtype == np.uint8 else None
    for ax, (title, array, signed) in zip(axes.flat, panels, strict=False):
        if signed is None:  # a magnitude: non-negative, robust upper limit
            _show_magnitude(fig, ax, array, lang, title)
        else:
            _show(fig, ax, array, lang, title, signed=signed, limit=None if signed else top)
    for ax in axes.flat[len(panels) :]:
        ax.axis("off")
    fig.tight_layout()
    return fig


def _show_magnitude(fig: Any, ax: Any, magnitude: np.ndarray, lang: str, title: str) -> Any:

    top = _robust_limit(magnitude)
    shown = ax.imshow(magnitude, cmap="magma", vmin=0, vmax=top)
    _colorbar(fig, ax, shown, lang, extend="max" if magnitude.max() > top else "neither")
    ax.set_xticks([])
    ax.set_yticks([])
    style_axes(ax, lang, title=title)
    return shown


@_book_style
def plot_edge_profile(lang: str) -> Any:
    """Intensity, Sobel-x response and Laplacian response along a row crossing a blurred edge."""
    check_language(lang)
    plt = _plt()
    step = blurred_step()
    row = step.shape[0] // 2
    curves = [
        (step[row], words(lang, "intensity", "شدت روشنایی"), "black"),
        (
            apply_filter(step, "sobel_x")[row],
            words(lang, "Sobel x response", "پاسخ سوبل x"),
            "tab:red",
        ),
        (
            apply_filter(step, "laplacian")[row],
            words(lang, "Laplacian response", "پاسخ لاپلاسین"),
            "tab:blue",
        ),
    ]
    x = np.arange(step.shape[1])
    edge = step.shape[1] // 2
    fig, axes = plt.subplots(3, 1, figsize=(7, 5.6), dpi=_DPI, sharex=True)
    for ax, (values, label, colour) in zip(axes, curves, strict=True):
        ax.plot(x, values, color=colour, marker=".", markersize=4, linewidth=1.2)
        ax.axvline(edge, color="gray", linestyle="--", linewidth=0.8)
        ax.axhline(0, color="gray", linewidth=0.5)
        style_axes(ax, lang, ylabel=label)
        _localize_ticks(ax.yaxis, lang)
        ax.grid(alpha=0.3)
    style_axes(axes[-1], lang, xlabel=words(lang, "column", "ستون"))
    _localize_ticks(axes[-1].xaxis, lang)
    fig.align_ylabels(axes)
    fig.tight_layout()
    return fig


@_book_style
def plot_correlation_vs_convolution(lang: str, name: str = "sobel_x") -> Any:
    """The kernel, and what correlation and convolution make of a single bright pixel."""
    check_language(lang)
    plt = _plt()
    responses = impulse_responses(name)
    kernel = np.zeros_like(responses["impulse"])
    kernel[1:4, 1:4] = get_kernel(name)
    panels = [
        (
            kernel,
            words(
                lang, f"kernel: {_kernel_title(name, lang)}", f"هسته: {_kernel_title(name, lang)}"
            ),
        ),
        (responses["impulse"], words(lang, "input: one bright pixel", "ورودی: یک پیکسل روشن")),
        (
            responses["correlate"],
            words(lang, "cv2.filter2D (correlation)", "cv2.filter2D (هم‌بستگی)"),
        ),
        (responses["convolve"], words(lang, "convolution", "کانولوشن")),
    ]
    fig, axes = plt.subplots(1, 4, figsize=(10, 3.0), dpi=_DPI)
    limit = float(np.abs(kernel).max())
    for ax, (array, title) in zip(axes, panels, strict=True):
        ax.imshow(array, cmap=_SIGNED_CMAP, vmin=-limit * 1.6, vmax=limit * 1.6)
        for (row, col), weight in np.ndenumerate(array):
            ax.text(
                col,
                row,
                _format_weight(weight, lang),
                ha="center",
                va="center",
                fontsize=10,
                **text_props(lang),
            )
        ax.set_xticks([])
        ax.set_yticks([])
        style_axes(ax, lang, title=title)
        ax.title.set_fontsize(11)
    fig.tight_layout()
    return fig


@_book_style
def plot_border_effects(
    image: Any, lang: str, *, size: int = 21, rows: int = 30, corner: int = 64
) -> Any:
    """How each border mode changes the edge rows of a box blur and of a Sobel-y response.

    Top: the top-left ``corner`` x ``corner`` pixels of the ``size`` x ``size``
    box blur under each border mode. Bottom: the mean over each of the first
    rows of the blur, and of ``|Sobel y|`` (symmetric-log scale, so that an
    exact 0 stays visible).
    """
    image = check_image(image, allow_channels=False)
    plt = _plt()
    profiles = border_profiles(image, size, rows)
    styles = {
        "constant": ("tab:red", "-"),
        "reflect": ("tab:blue", "-"),
        "reflect_101": ("tab:green", "--"),
        "replicate": ("tab:orange", ":"),
    }
    fig = plt.figure(figsize=(10.5, 6.6), dpi=_DPI)
    grid = fig.add_gridspec(2, 4, height_ratios=[1, 1.15])
    top = 255.0 if image.dtype == np.uint8 else float(image.max())
    for column, border in enumerate(BORDER_MODES):
        ax = fig.add_subplot(grid[0, column])
        blurred = apply_filter(image, box_kernel(size), border=border)
        ax.imshow(blurred[:corner, :corner], cmap="gray", vmin=0, vmax=top)
        ax.set_xticks([])
        ax.set_yticks([])
        style_axes(ax, lang, title=border)
    blur_ax = fig.add_subplot(grid[1, :2])
    sobel_ax = fig.add_subplot(grid[1, 2:])
    x = np.arange(rows)
    blur_ax.plot(
        x,
        image[:rows].mean(axis=1),
        color="black",
        linewidth=3,
        alpha=0.3,
        label=words(lang, "no filter", "بدون فیلتر"),
    )
    for border, (colour, style) in styles.items():
        blur_ax.plot(x, profiles[border]["blur"], color=colour, linestyle=style, label=border)
        sobel_ax.plot(
            x[:10],
            profiles[border]["sobel_y"][:10],
            color=colour,
            linestyle=style,
            marker="o",
            markersize=3,
            label=border,
        )
    sobel_ax.set_yscale("symlog", linthresh=1.0)
    size_text = _number(size, lang)
    row_label = words(lang, "row (0 = top edge)", "سطر (۰ = لبهٔ بالا)")
    mean_label = words(lang, "mean over the row", "میانگین سطر")
    style_axes(
        blur_ax,
        lang,
        title=words(lang, f"{size}×{size} box blur", f"میانگین‌گیر جعبه‌ای {size_text}×{size_text}"),
        xlabel=row_label,
        ylabel=mean_label,
    )
    style_axes(
        sobel_ax,
        lang,
        title=words(lang, "|Sobel y|", "قدرمطلق پاسخ سوبل y"),
        xlabel=row_label,
        ylabel=mean_label,
    )
    for ax in (blur_ax, sobel_ax):
        legend(ax, lang)
        ax.grid(alpha=0.3)
        _localize_ticks(ax.xaxis, lang)
        if ax is blur_ax:
            _localize_ticks(ax.yaxis, lang)
    fig.tight_layout()
    return fig


def direction_colours(
    magnitude: np.ndarray, direction: np.ndarray, percentile: float = 95.0
) -> np.ndarray:
    """RGB image: hue from ``direction`` (radians), brightness from ``magnitude``.

    Brightness is ``magnitude`` divided by its ``percentile``-th percentile, clipped
    to 1, so flat regions are black and only real edges show their colour.
    """
    from matplotlib.colors import hsv_to_rgb

    scale = float(np.percentile(magnitude, percentile)) or 1.0
    hsv = np.stack(
        [
            (direction + np.pi) / (2 * np.pi),
            np.ones_like(direction),
            np.clip(magnitude / scale, 0.0, 1.0),
        ],
        axis=-1,
    )
    return hsv_to_rgb(np.clip(hsv, 0.0, 1.0))


@_book_style
def plot_gradient(image: Any, lang: str, *, operator: str = "sobel") -> Any:
    """Input, gradient magnitude, and gradient direction coloured by angle and lit by magnitude."""
    from matplotlib.colors import Normalize

    image = check_image(image, allow_channels=False)
    plt = _plt()
    magnitude, direction = gradient(image, operator)
    fig, axes = plt.subplots(1, 3, figsize=(12, 3.5), dpi=_DPI)
    _show(
        fig,
        axes[0],
        image,
        lang,
        words(lang, "Input", "ورودی"),
        signed=False,
        limit=255.0 if image.dtype == np.uint8 else None,
    )
    name = OPERATOR_NAMES[operator][lang]
    _show_magnitude(
        fig, axes[1], magnitude, lang, words(lang, f"magnitude ({name})", f"اندازه ({name})")
    )
    axes[2].imshow(direction_colours(magnitude, direction))
    ticks = list(range(-180, 181, 90))
    mappable = plt.cm.ScalarMappable(norm=Normalize(-180, 180), cmap="hsv")
    bar = _colorbar(fig, axes[2], mappable, lang, ticks=ticks)
    bar.ax.set_yticklabels([_number(t, lang) + "°" for t in ticks], **text_props(lang))
    axes[2].set_xticks([])
    axes[2].set_yticks([])
    style_axes(axes[2], lang, title=words(lang, "direction atan2(gy, gx)", "جهت atan2(gy, gx)"))
    fig.tight_layout()
    return fig


@_book_style
def plot_uint8_pitfall(image: Any, lang: str, name: str = "sobel_x") -> Any:
    """Float response next to ``ddepth=-1`` (clipped) and to ``convertScaleAbs`` of 16-bit."""
    plt = _plt()
    results = uint8_pitfall(image, name)
    fig, axes = plt.subplots(1, 3, figsize=(11.5, 3.7), dpi=_DPI)
    _show(
        fig,
        axes[0],
        results["float"],
        lang,
        words(lang, "float32 response", "پاسخ float32"),
        signed=True,
    )
    _show(
        fig,
        axes[1],
        results["uint8"],
        lang,
        words(lang, "ddepth=-1: uint8, negatives → 0", "ddepth=-1: uint8، منفی‌ها ← ۰"),
        signed=False,
        limit=255.0,
    )
    _show(
        fig,
        axes[2],
        results["abs"],
        lang,
        words(lang, "CV_16S, then convertScaleAbs", "CV_16S و سپس convertScaleAbs"),
        signed=False,
        limit=255.0,
    )
    fig.tight_layout()
    return fig


@_book_style
def plot_direction_error(lang: str, wavelength: float = 4.0) -> Any:
    """Orientation error of Sobel, Scharr and Prewitt against the true edge orientation."""
    check_language(lang)
    plt = _plt()
    angles = np.arange(0, 91)
    fig, ax = plt.subplots(figsize=(7, 3.8), dpi=_DPI)
    for (operator, name), colour in zip(
        OPERATOR_NAMES.items(), ("tab:red", "tab:green", "tab:blue"), strict=True
    ):
        ax.plot(
            angles,
            direction_error(operator, wavelength, angles),
            color=colour,
            label=name[lang],
        )
    ax.axhline(0, color="gray", linewidth=0.6)
    ax.set_xticks(range(0, 91, 15))
    wave = _number(wavelength, lang)
    style_axes(
        ax,
        lang,
        title=words(
            lang,
            f"plane waves with a wavelength of {wavelength:g} pixels",
            f"موج‌های تخت با طول موج {wave} پیکسل",
        ),
        xlabel=words(lang, "true orientation (degrees)", "جهت واقعی (درجه)"),
        ylabel=words(lang, "measured − true (degrees)", "اندازه‌گیری‌شده − واقعی (درجه)"),
    )
    _localize_ticks(ax.xaxis, lang)
    _localize_ticks(ax.yaxis, lang)
    legend(ax, lang)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


# ---------------------------------------------------------------------------
# Normalisation and edge detectors
# ---------------------------------------------------------------------------


#: The three normalisations compared by :func:`plot_normalisation`:
#: (window size, denominator).
NORMALISATIONS: tuple[tuple[int, int], ...] = ((3, 9), (3, 25), (5, 25))


def _bare(ax: Any) -> None:
    ax.set_xticks([])
    ax.set_yticks([])


@_book_style
def plot_normalisation(image: Any, lang: str) -> Any:
    """``image`` after a box of ones divided by 9 or 25, on one gray scale (0 to 255).

    The panels are the input, a 3x3 window of ones divided by 9 and by 25, and a
    5x5 window divided by 25 (:data:`NORMALISATIONS`); each title gives the mean
    brightness. Dividing by more only darkens; averaging over more pixels smooths.
    """
    import matplotlib.pyplot as plt

    check_language(lang)
    image = check_image(image, allow_channels=False)
    panels = [(words(lang, "input", "ورودی"), image.astype(np.float32))]
    for size, denominator in NORMALISATIONS:
        kernel = np.ones((size, size)) / denominator
        s, d = _number(size, lang), _number(denominator, lang)
        panels.append(
            (
                words(
                    lang,
                    f"{size}×{size} ones ÷ {denominator}",
                    f"پنجرهٔ {s}×{s} از یک‌ها، تقسیم بر {d}",
                ),
                apply_filter(image, kernel),
            )
        )
    fig, axes = plt.subplots(2, 2, figsize=(7.2, 7.6))
    for ax, (title, array) in zip(axes.flat, panels, strict=True):
        ax.imshow(array, cmap="gray", vmin=0, vmax=255)
        _bare(ax)
        mean = _number(float(array.mean()), lang, ".1f")
        style_axes(ax, lang, title=f"{title}\n" + words(lang, f"mean {mean}", f"میانگین {mean}"))
    fig.tight_layout()
    return fig


#: The panels :func:`plot_edge_detectors` draws, in order, with their titles.
EDGE_PANELS: tuple[tuple[str, str, str], ...] = (
    ("kernel", "LoG kernel, σ = {sigma}", "هستهٔ لاپلاسینِ گاوسی، σ = {sigma}"),
    ("log", "LoG response", "پاسخ لاپلاسینِ گاوسی"),
    ("crossings", "all zero crossings", "همهٔ گذرهای از صفر"),
    ("strong_crossings", "zero crossings above the threshold", "گذرهای از صفرِ بالای آستانه"),
    ("canny", "Canny after a Gaussian, σ = {sigma}", "کنی پس از گاوسی، σ = {sigma}"),
    ("canny_raw", "Canny on the raw image", "کنی روی تصویر خام"),
)


@_book_style
def plot_edge_detectors(arrays: Mapping[str, Any], lang: str, sigma: float) -> Any:
    """The LoG kernel, its response, its zero crossings and Canny's edges, side by side.

    ``arrays`` maps every key of :data:`EDGE_PANELS` to a 2-D array: ``"kernel"``
    and ``"log"`` are signed (red positive, blue negative, white 0); the others
    are edge maps (non-zero = edge), drawn black on white.
    """
    import matplotlib.pyplot as plt

    check_language(lang)
    missing = [key for key, _, _ in EDGE_PANELS if key not in arrays]
    if missing:
        raise ValueError(f"arrays must hold every panel of EDGE_PANELS; missing {missing}")
    fig, axes = plt.subplots(2, 3, figsize=(9.0, 7.6))
    shown_sigma = _number(sigma, lang)
    for ax, (key, en, fa) in zip(axes.flat, EDGE_PANELS, strict=True):
        array = np.asarray(arrays[key], dtype=np.float64)
        if key in ("kernel", "log"):
            # the response: limits at its 99.5th percentile; the kernel: at a third of its
            # largest weight, so that the faint positive ring stays visible
            if key == "log":
                limit = float(np.percentile(np.abs(array), 99.5))
            else:
                limit = float(np.abs(array).max()) / 3
            limit = limit or float(np.abs(array).max()) or 1.0
            ax.imshow(array, cmap=_SIGNED_CMAP, vmin=-limit, vmax=limit)
        else:
            ax.imshow(array == 0, cmap="gray", vmin=0, vmax=1)
            share = _number(100 * float(np.mean(array != 0)), lang, ".1f")
            en = f"{en}\n{share}% of the pixels"
            fa = f"{fa}\n{share}٪ از پیکسل‌ها"
        _bare(ax)
        style_axes(ax, lang, title=words(lang, en, fa).replace("{sigma}", shown_sigma))
        ax.title.set_fontsize(12)
    fig.tight_layout()
    return fig


__all__ = [
    "CREDITS",
    "EDGE_PANELS",
    "KERNEL_TITLES",
    "NORMALISATIONS",
    "OPERATOR_NAMES",
    "credit",
    "direction_colours",
    "plot_border_effects",
    "plot_correlation_vs_convolution",
    "plot_direction_error",
    "plot_edge_detectors",
    "plot_edge_profile",
    "plot_filter_responses",
    "plot_gradient",
    "plot_kernels",
    "plot_normalisation",
    "plot_uint8_pitfall",
]
