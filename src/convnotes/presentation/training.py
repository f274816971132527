"""The training chapter's figures and tables, with words in the page's language.

The computations behind them (the pipeline, the update rules, the reading of a
history) live in :mod:`convnotes.training`; the functions here only draw and lay out.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np

from convnotes.i18n import Text, check_language, format_number, localize_digits
from convnotes.presentation import plots
from convnotes.presentation.plots import font_family, legend, style_axes, text_props, words
from convnotes.presentation.tables import Cell, html_table

CLASS_NAMES_FA: dict[str, str] = {
    "airplane": "هواپیما",
    "automobile": "خودرو",
    "bird": "پرنده",
    "cat": "گربه",
    "deer": "آهو",
    "dog": "سگ",
    "frog": "قورباغه",
    "horse": "اسب",
    "ship": "کشتی",
    "truck": "کامیون",
}


def class_label(name: str, lang: str) -> str:
    """A class name in ``lang`` (CIFAR-10 names in Persian; digit names in Persian digits).

    Examples
    --------
    >>> class_label("cat", "fa"), class_label("7", "fa"), class_label("cat", "en")
    ('گربه', '۷', 'cat')
    """
    check_language(lang)
    if lang == "en":
        return name
    return CLASS_NAMES_FA.get(name, localize_digits(name, "fa"))


# A Persian label starts with a Persian word, so that it is laid out right to left.
_RULE_WORDS: Mapping[str, Text] = {
    "sgd": Text("SGD", "روش SGD"),
    "momentum": Text("SGD with momentum", "روش SGD با تکانه"),
    "adam": Text("Adam", "روش Adam"),
}
#: The splits of a data set, as a legend names them.
SPLIT_NAMES: Mapping[str, Text] = {
    "train": Text("training", "آموزش"),
    "val": Text("validation", "اعتبارسنجی"),
    "test": Text("test", "آزمون"),
}
_RULE_COLOURS = {"sgd": "tab:red", "momentum": "tab:blue", "adam": "tab:green"}


def _epoch_ticks(ax: Any, epochs: Sequence[int], lang: str) -> None:
    ticks = list(epochs)[:: max(1, -(-len(epochs) // 10))]  # at most 10 labels
    ax.set_xticks(ticks)
    ax.set_xticklabels([format_number(int(e), lang) for e in ticks])


def _localized_yticks(ax: Any, lang: str, decimals: int = 1) -> None:
    ax.set_yticks(ax.get_yticks())
    ax.set_yticklabels([localize_digits(f"{t:.{decimals}f}", lang) for t in ax.get_yticks()])


def rate_text(rate: float, lang: str) -> str:
    """A learning rate as a short decimal in the digits of ``lang`` (``0.00001``).

    Examples
    --------
    >>> rate_text(1e-5, "en"), rate_text(0.03, "fa")
    ('0.00001', '۰٫۰۳')
    """
    text = np.format_float_positional(float(rate), trim="-")
    return localize_digits(text, lang)


def plot_optimizer_paths(
    paths: Mapping[str, np.ndarray],
    loss: Callable[[np.ndarray, np.ndarray], np.ndarray],
    lang: str,
) -> Any:
    """The paths of several update rules over the contours of a two-weight loss.

    ``paths`` maps ``"sgd"``, ``"momentum"`` or ``"adam"`` to an array of shape
    ``(steps + 1, 2)`` (as :func:`convnotes.training.descend` returns); ``loss`` takes
    two grids of weights and returns the loss on them. The minimum is marked with a star.
    """
    import matplotlib.pyplot as plt

    check_language(lang)
    points = np.concatenate([np.asarray(p, dtype=float) for p in paths.values()])
    low, high = points.min(axis=0), points.max(axis=0)
    margin = 0.15 * (high - low) + 0.2
    w0, w1 = np.meshgrid(
        np.linspace(low[0] - margin[0], high[0] + margin[0], 200),
        np.linspace(low[1] - margin[1], high[1] + margin[1], 200),
    )
    fig, ax = plt.subplots(figsize=(7.2, 3.6), layout="constrained")
    values = loss(w0, w1)
    levels = np.quantile(values, np.linspace(0.02, 0.9, 9))
    ax.contour(w0, w1, values, levels=np.unique(levels), colors="#bbbbbb", linewidths=0.8)
    for key, path in paths.items():
        path = np.asarray(path, dtype=float)
        ax.plot(
            path[:, 0],
            path[:, 1],
            "o-",
            markersize=2.5,
            linewidth=1.2,
            color=_RULE_COLOURS.get(key),
            label=_RULE_WORDS.get(key, Text(key, key))[lang],
        )
    ax.plot([0], [0], "*", color="black", markersize=11)
    ax.plot(*np.asarray(next(iter(paths.values())))[0], "s", color="black", markersize=6)
    style_axes(
        ax,
        lang,
        title=words(
            lang,
            "The same number of steps, three update rules",
            "گام‌های برابر، سه قاعدهٔ به‌روزرسانی",
        ),
        xlabel="$w_1$",
        ylabel="$w_2$",
    )
    ax.set_xlim(w0.min(), w0.max())
    ax.set_ylim(w1.min(), w1.max())
    for ticks, set_ticks, set_labels in (
        (ax.get_xticks(), ax.set_xticks, ax.set_xticklabels),
        (ax.get_yticks(), ax.set_yticks, ax.set_yticklabels),
    ):
        set_ticks(ticks)
        set_labels([localize_digits(f"{t:g}", lang) for t in ticks])
    ax.set_xlim(w0.min(), w0.max())
    ax.set_ylim(w1.min(), w1.max())
    legend(ax, lang, fontsize=8, loc="lower right")
    return fig


def plot_learning_rate_runs(
    histories: Mapping[float, Mapping[str, Sequence[float]]],
    lang: str,
    *,
    names: Mapping[float, tuple[str, str]] | None = None,
    num_classes: int | None = None,
) -> Any:
    """Training loss per epoch of the same model trained with several learning rates.

    ``histories`` maps each learning rate to a :func:`convnotes.training.train`
    history; ``names`` optionally gives each rate an ``(english, persian)`` verdict
    ("too small") for the legend. With ``num_classes`` a dotted line marks the loss
    of a uniform guess, :math:`\\ln K`.
    """
    import matplotlib.pyplot as plt

    check_language(lang)
    fig, ax = plt.subplots(figsize=(6.4, 3.6), layout="constrained")
    epochs: Sequence[int] = []
    for (rate, history), marker in zip(histories.items(), "osd^v", strict=False):
        epochs = history["epoch"]
        label = "η = " + rate_text(rate, lang)
        if names and rate in names:
            verdict = words(lang, *names[rate])
            # Persian: the verdict first, so that the label is laid out right to left
            label = Text("{label} ({verdict})", "{verdict}: {label}")[lang].format(
                label=label, verdict=verdict
            )
        ax.plot(epochs, history["loss"], marker + "-", label=label)
    if num_classes is not None:
        level = math.log(num_classes)
        ax.axhline(level, color="grey", linestyle=":", linewidth=1)
        ax.annotate(
            words(lang, "uniform guess, ln ", "حدس یکنواخت، ln ")
            + localize_digits(str(num_classes), lang),
            xy=(1.0, level),
            xycoords=("axes fraction", "data"),
            xytext=(-4, 4),
            textcoords="offset points",
            ha="right",
            va="bottom",
            fontsize=8,
            color="grey",
            **text_props(lang),
        )
    _epoch_ticks(ax, epochs, lang)
    style_axes(
        ax,
        lang,
        title=words(
            lang, "Training loss for three learning rates", "اتلاف آموزش با سه نرخ یادگیری"
        ),
        xlabel=words(lang, "epoch", "دوره"),
        ylabel=words(lang, "loss (cross-entropy)", "اتلاف (آنتروپی متقاطع)"),
    )
    _localized_yticks(ax, lang, 2)
    ax.grid(alpha=0.3)
    legend(ax, lang, fontsize=8)
    return fig


def plot_early_stopping(
    history: Mapping[str, Sequence[float]],
    best_epoch: int,
    stopped_epoch: int,
    lang: str,
) -> Any:
    """Training and validation loss of a run stopped early, with its best and last epoch.

    Epochs are numbered from 1 (``history["epoch"]``, or 1, 2, ... when it is absent).
    """
    import matplotlib.pyplot as plt

    check_language(lang)
    n = len(history["val_loss"])
    epochs = list(history.get("epoch", range(1, n + 1)))
    fig, ax = plt.subplots(figsize=(6.4, 3.4), layout="constrained")
    ax.plot(epochs, history["loss"], "o-", label=words(lang, "training", "آموزش"))
    ax.plot(epochs, history["val_loss"], "s--", label=words(lang, "validation", "اعتبارسنجی"))
    for epoch, colour, style, en, fa in (
        (
            best_epoch,
            "tab:green",
            "-",
            "best epoch (weights kept)",
            "بهترین دوره (وزن‌های نگه‌داشته)",
        ),
        (stopped_epoch, "tab:red", "-.", "last epoch run", "آخرین دورهٔ اجراشده"),
    ):
        ax.axvline(epoch, color=colour, linestyle=style, linewidth=1.2, label=words(lang, en, fa))
    _epoch_ticks(ax, epochs, lang)
    style_axes(
        ax,
        lang,
        title=words(
            lang, "Early stopping on the validation loss", "توقف زودهنگام با اتلاف اعتبارسنجی"
        ),
        xlabel=words(lang, "epoch", "دوره"),
        ylabel=words(lang, "loss (cross-entropy)", "اتلاف (آنتروپی متقاطع)"),
    )
    _localized_yticks(ax, lang, 2)
    ax.grid(alpha=0.3)
    legend(ax, lang, fontsize=8, loc="best")
    return fig


def kernel_tiles(kernel: np.ndarray) -> np.ndarray:
    """The filters of a first-layer ``Conv2D`` kernel as RGB tiles in [0, 1].

    ``kernel`` has Keras' shape ``(k_h, k_w, 3, n)``. Each filter is scaled by its own
    largest absolute weight, so 0.5 (grey) is a zero weight, brighter is positive and
    darker negative; returns shape ``(n, k_h, k_w, 3)``.

    Examples
    --------
    >>> k = np.zeros((3, 3, 3, 2)); k[1, 1, 0, 0] = 2.0; k[0, 0, 2, 1] = -1.0
    >>> tiles = kernel_tiles(k)
    >>> tiles.shape, tiles[0, 1, 1].tolist(), tiles[1, 0, 0].tolist()
    ((2, 3, 3, 3), [1.0, 0.5, 0.5], [0.5, 0.5, 0.0])
    """
    kernel = np.asarray(kernel, dtype=float)
    if kernel.ndim != 4 or kernel.shape[2] != 3:
        raise ValueError(f"kernel must have shape (k_h, k_w, 3, n), got {kernel.shape}")
    tiles = np.moveaxis(kernel, 3, 0)
    scale = np.abs(tiles).max(axis=(1, 2, 3), keepdims=True)
    return 0.5 + 0.5 * tiles / np.where(scale > 0, scale, 1.0)


def mosaic(
    tiles: np.ndarray, columns: int, *, gap: int = 1, fill: float = 1.0, rtl: bool = False
) -> np.ndarray:
    """Tiles of shape ``(n, h, w[, c])`` laid out in rows of ``columns``, ``gap`` apart.

    The gaps and the unused places of the last row hold ``fill``. With ``rtl`` each row
    runs from right to left (the first tile at the top right), as a Persian page reads.
    Drawing one mosaic with one ``imshow`` is far faster than one small axes per tile.

    Examples
    --------
    >>> m = mosaic(np.arange(3.0).reshape(3, 1, 1), 2, gap=1, fill=-1)
    >>> m.tolist()
    [[0.0, -1.0, 1.0], [-1.0, -1.0, -1.0], [2.0, -1.0, -1.0]]
    >>> mosaic(np.arange(3.0).reshape(3, 1, 1), 2, gap=1, fill=-1, rtl=True)[0].tolist()
    [1.0, -1.0, 0.0]
    """
    tiles = np.asarray(tiles, dtype=float)
    if tiles.ndim not in (3, 4):
        raise ValueError(f"tiles must have shape (n, h, w) or (n, h, w, c), got {tiles.shape}")
    if isinstance(columns, bool) or not isinstance(columns, int) or columns < 1:
        raise ValueError(f"columns must be a positive integer, got {columns!r}")
    n, h, w = tiles.shape[:3]
    rows = -(-n // columns)
    shape = (rows * (h + gap) - gap, columns * (w + gap) - gap, *tiles.shape[3:])
    out = np.full(shape, fill, dtype=float)
    for index, tile in enumerate(tiles):
        row, col = divmod(index, columns)
        if rtl:
            col = columns - 1 - col
        top, left = row * (h + gap), col * (w + gap)
        out[top : top + h, left : left + w] = tile
    return out


def plot_kernels(kernel: np.ndarray, lang: str, *, columns: int = 12) -> Any:
    """The filters of a first-layer kernel as a grid of small colour images."""
    import matplotlib.pyplot as plt

    check_language(lang)
    tiles = kernel_tiles(kernel)
    n = len(tiles)
    rows = -(-n // columns)
    fig, ax = plt.subplots(figsize=(columns * 0.55, rows * 0.55 + 0.45), layout="constrained")
    ax.imshow(mosaic(tiles, columns, rtl=lang == "fa"), interpolation="nearest")
    ax.axis("off")
    size = " × ".join(str(d) for d in kernel.shape[:3])
    ax.set_title(
        words(
            lang,
            f"The {n} filters of the first convolution ({size}), each scaled to its own range",
            f"{localize_digits(str(n), 'fa')} فیلتر نخستین کانولوشن "
            f"({localize_digits(size, 'fa')})، هر کدام با مقیاس خودش",
        ),
        fontsize=10,
        **text_props(lang),
    )
    return fig


def _unit_range(fmap: np.ndarray) -> np.ndarray:
    """Each channel of ``fmap`` (h, w, c) scaled to [0, 1]; a constant channel becomes 0."""
    low = fmap.min(axis=(0, 1), keepdims=True)
    span = fmap.max(axis=(0, 1), keepdims=True) - low
    return (fmap - low) / np.where(span > 0, span, 1.0)


def plot_feature_maps(
    image: np.ndarray,
    maps: Mapping[str, np.ndarray],
    lang: str,
    *,
    channels: int = 8,
) -> Any:
    """One image and the first ``channels`` channels of its feature map in several layers.

    ``maps`` maps a layer name to that layer's output for the image, shape
    ``(height, width, channels)``. Each channel is scaled to its own range (bright:
    its largest activation) and the channels of a layer form one row.
    """
    import matplotlib.pyplot as plt

    check_language(lang)
    rows = len(maps)
    ratios = [1.0, channels * 1.06]
    if lang == "fa":
        ratios = ratios[::-1]  # the image on the right, the channels to its left
    fig, axes = plt.subplots(
        rows,
        2,
        figsize=(channels * 0.9 + 1.3, rows * 1.05 + 0.4),
        width_ratios=ratios,
        squeeze=False,
        layout="constrained",
    )
    image_col, maps_col = (1, 0) if lang == "fa" else (0, 1)
    family = font_family(lang)
    cmap = plt.get_cmap("viridis").with_extremes(bad="white")
    for row, (name, fmap) in enumerate(maps.items()):
        fmap = np.asarray(fmap, dtype=float)
        shown = _unit_range(fmap[..., :channels])
        tiles = np.moveaxis(shown, 2, 0)
        gap = max(1, fmap.shape[0] // 16)
        axes[row][maps_col].imshow(
            mosaic(tiles, len(tiles), gap=gap, fill=np.nan, rtl=lang == "fa"),
            cmap=cmap,
            interpolation="nearest",
        )
        axes[row][maps_col].axis("off")
        shape = " × ".join(str(d) for d in fmap.shape)
        title = Text("{name}  ({shape})", "لایهٔ {name}، {shape}")[lang].format(
            name=name, shape=localize_digits(shape, lang)
        )
        axes[row][maps_col].set_title(
            title,
            fontsize=8,
            loc="right" if lang == "fa" else "left",
            fontfamily=family,
        )
        axes[row][image_col].axis("off")
        if row == 0:
            axes[row][image_col].imshow(image, interpolation="nearest")
            axes[row][image_col].set_title(
                words(lang, "input", "ورودی"), fontsize=8, fontfamily=family
            )
    fig.suptitle(
        words(
            lang,
            f"The first {channels} channels of the feature maps of one test image",
            f"{localize_digits(str(channels), 'fa')} کانال نخست نقشه‌های ویژگی یک تصویر آزمون",
        ),
        fontsize=10,
        **text_props(lang),
    )
    return fig


def plot_learning_curves(
    history: dict[str, list[float]], lang: str, *, validation_name: str = "val"
) -> Any:
    """Loss and accuracy per epoch, training and validation, labelled in ``lang``."""
    import matplotlib.pyplot as plt

    check_language(lang)
    epochs = history["epoch"]
    fig, axes = plt.subplots(1, 2, figsize=(9, 3.4), layout="constrained")
    for ax, metric, title in (
        (axes[0], "loss", plots.words(lang, "Loss (cross-entropy)", "اتلاف (آنتروپی متقاطع)")),
        (axes[1], "accuracy", plots.words(lang, "Accuracy", "دقت")),
    ):
        ax.plot(epochs, history[metric], "o-", label=SPLIT_NAMES["train"][lang])
        other = f"{validation_name}_{metric}"
        if other in history:
            name = SPLIT_NAMES.get(validation_name, Text(validation_name, validation_name))
            ax.plot(epochs, history[other], "s--", label=name[lang])
        ticks = list(epochs)[:: max(1, -(-len(epochs) // 10))]  # at most 10 labels
        ax.set_xticks(ticks)
        ax.set_xticklabels([format_number(e, lang) for e in ticks])
        plots.style_axes(ax, lang, title=title, xlabel=plots.words(lang, "epoch", "دوره"))
        ax.grid(alpha=0.3)
        plots.legend(ax, lang)
    for ax in axes:
        ax.set_yticks(ax.get_yticks())
        ax.set_yticklabels([localize_digits(f"{t:.2f}", lang) for t in ax.get_yticks()])
    return fig


def plot_confusion_matrix(
    matrix: Sequence[Sequence[int]],
    class_names: Sequence[str],
    lang: str,
    *,
    normalize: bool = True,
) -> Any:
    """The confusion matrix (rows: true class, columns: predicted), labelled in ``lang``.

    With ``normalize`` every row is shown as percentages of its true class, so the
    diagonal is the accuracy of each class in percent.
    """
    import matplotlib.pyplot as plt

    check_language(lang)
    counts = np.asarray(matrix, dtype=float)
    shown = 100 * counts / np.maximum(counts.sum(axis=1, keepdims=True), 1) if normalize else counts
    labels = [class_label(n, lang) for n in class_names]
    fig, ax = plt.subplots(figsize=(6.4, 5.6), layout="constrained")
    image = ax.imshow(shown, cmap="Blues", vmin=0, vmax=100 if normalize else None)
    for i, j in np.ndindex(shown.shape):
        if round(shown[i, j]) == 0:
            continue
        ax.text(
            j,
            i,
            format_number(int(round(shown[i, j])), lang),
            ha="center",
            va="center",
            fontsize=7,
            fontfamily=plots.font_family(lang),
            color="white" if shown[i, j] > 0.6 * shown.max() else "black",
        )
    ax.set_xticks(range(len(labels)), labels, rotation=60, ha="right")
    ax.set_yticks(range(len(labels)), labels)
    title = (
        plots.words(
            lang, "Confusion matrix (% of each true class)", "ماتریس درهم‌ریختگی (درصدِ هر ردهٔ واقعی)"
        )
        if normalize
        else plots.words(lang, "Confusion matrix (images)", "ماتریس درهم‌ریختگی (تصویر)")
    )
    plots.style_axes(
        ax,
        lang,
        title=title,
        xlabel=plots.words(lang, "predicted class", "ردهٔ پیش‌بینی‌شده"),
        ylabel=plots.words(lang, "true class", "ردهٔ واقعی"),
    )
    bar = fig.colorbar(image, ax=ax, shrink=0.8)
    ticks = bar.get_ticks()
    bar.set_ticks(ticks, labels=[format_number(int(t), lang) for t in ticks])
    for tick in bar.ax.get_yticklabels():
        tick.set_fontfamily(plots.font_family(lang))
    return fig


def plot_misclassified(
    x: np.ndarray,
    y_true: np.ndarray,
    y_pred: np.ndarray,
    class_names: Sequence[str],
    lang: str,
    *,
    n: int = 16,
    probabilities: np.ndarray | None = None,
) -> Any:
    """A grid of the first ``n`` misclassified images, "true → predicted" in ``lang``.

    With ``probabilities``, the most confident mistakes are shown first.
    """
    import matplotlib.pyplot as plt

    check_language(lang)
    wrong = np.flatnonzero(np.asarray(y_true) != np.asarray(y_pred))
    if probabilities is not None and len(wrong):
        wrong = wrong[np.argsort(-probabilities[wrong, y_pred[wrong]], kind="stable")]
    wrong = wrong[:n]
    cols = 8
    rows = max(1, -(-len(wrong) // cols))
    fig, axes = plt.subplots(
        rows, cols, figsize=(cols * 1.25, rows * 1.55), layout="constrained", squeeze=False
    )
    arrow = Text(" → ", " ← ")[lang]
    for ax in axes.flat:
        ax.axis("off")
    for ax, index in zip(axes.flat, wrong, strict=False):
        ax.imshow(x[index], interpolation="nearest")
        true_name = class_label(class_names[y_true[index]], lang)
        pred_name = class_label(class_names[y_pred[index]], lang)
        # Matplotlib lays Persian out right to left, so "true ← predicted" reads true first.
        label = true_name + arrow + pred_name
        ax.set_title(label, fontsize=7, **plots.text_props(lang))
    fig.suptitle(
        plots.words(
            lang,
            "Misclassified test images (true → predicted)",
            "تصویرهای آزمونِ نادرست رده‌بندی‌شده (واقعی ← پیش‌بینی)",
        ),
        **plots.text_props(lang),
    )
    return fig


def plot_class_samples(
    x: np.ndarray,
    y: np.ndarray,
    class_names: Sequence[str],
    lang: str,
    *,
    per_class: int = 8,
    seed: int = 0,
) -> Any:
    """``per_class`` random images of every class, one row per class labelled in ``lang``.

    The images are tiled into one mosaic (one ``imshow``), which draws far faster than
    a grid of small axes.
    """
    import matplotlib.pyplot as plt

    check_language(lang)
    rng = np.random.default_rng(seed)
    k, gap = len(class_names), 2
    height, width = x.shape[1], x.shape[2]
    mosaic = np.full((k * (height + gap) - gap, per_class * (width + gap) - gap, 3), 255, np.uint8)
    for row in range(k):
        members = np.flatnonzero(np.asarray(y) == row)
        chosen = rng.choice(members, size=min(per_class, len(members)), replace=False)
        for col, index in enumerate(chosen):
            # Persian pages read right to left: the first sample goes on the right.
            col = per_class - 1 - col if lang == "fa" else col
            top, left = row * (height + gap), col * (width + gap)
            mosaic[top : top + height, left : left + width] = np.broadcast_to(
                x[index].reshape(height, width, -1), (height, width, 3)
            )
    fig, ax = plt.subplots(figsize=(per_class * 0.8 + 1.4, k * 0.8), layout="constrained")
    ax.imshow(mosaic, interpolation="nearest")
    ax.set_xticks([])
    ax.set_yticks(
        [r * (height + gap) + height / 2 for r in range(k)],
        [class_label(n, lang) for n in class_names],
    )
    if lang == "fa":
        ax.yaxis.tick_right()
    ax.tick_params(length=0)
    for spine in ax.spines.values():
        spine.set_visible(False)
    plots.style_axes(ax, lang)
    return fig


def plot_class_counts(
    counts: dict[str, Sequence[int]], class_names: Sequence[str], lang: str
) -> Any:
    """Images per class in each split (``{"train": [...], "test": [...]}``) as bars."""
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 3), layout="constrained")
    width = 0.8 / max(len(counts), 1)
    positions = np.arange(len(class_names))
    for i, (split, values) in enumerate(counts.items()):
        name = SPLIT_NAMES.get(split, Text(split, split))
        ax.bar(positions + i * width, values, width, label=name[lang])
    ax.set_xticks(
        positions + width * (len(counts) - 1) / 2,
        [class_label(n, lang) for n in class_names],
        rotation=30,
    )
    plots.style_axes(
        ax,
        lang,
        title=plots.words(lang, "Images per class", "تصویر در هر رده"),
        ylabel=plots.words(lang, "images", "تعداد تصویر"),
    )
    ax.set_yticks(ax.get_yticks())
    ax.set_yticklabels([format_number(int(t), lang) for t in ax.get_yticks()])
    plots.legend(ax, lang)
    return fig


def plot_images(images: Sequence[np.ndarray], titles: Sequence[tuple[str, str]], lang: str) -> Any:
    """Images side by side, each titled with its ``(english, persian)`` pair."""
    import matplotlib.pyplot as plt

    check_language(lang)
    fig, axes = plt.subplots(
        1, len(images), figsize=(2.4 * len(images), 2.7), layout="constrained", squeeze=False
    )
    # Persian pages read right to left: the first image goes on the right.
    row = axes[0][::-1] if lang == "fa" else axes[0]
    for ax, image, (en, fa) in zip(row, images, titles, strict=True):
        ax.imshow(image, interpolation="nearest")
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_title(plots.words(lang, en, fa), fontsize=9, **plots.text_props(lang))
    return fig


def plot_dropout_comparison(histories: dict[str, dict[str, list[float]]], lang: str) -> Any:
    """Training and validation accuracy per epoch of runs with and without dropout.

    ``histories`` maps ``"dropout"`` and ``"none"`` to :func:`train` histories.
    """
    import matplotlib.pyplot as plt

    check_language(lang)
    names = {
        "dropout": Text("with dropout", "با حذف تصادفی"),
        "none": Text("without dropout", "بدون حذف تصادفی"),
    }
    fig, ax = plt.subplots(figsize=(6.4, 3.6), layout="constrained")
    for (key, history), color in zip(histories.items(), ("tab:blue", "tab:red"), strict=False):
        label = names.get(key, Text(key, key))[lang]
        ax.plot(
            history["epoch"],
            history["accuracy"],
            "-",
            color=color,
            label=f"{label}: {SPLIT_NAMES['train'][lang]}",
        )
        ax.plot(
            history["epoch"],
            history["val_accuracy"],
            "--",
            color=color,
            label=f"{label}: {SPLIT_NAMES['val'][lang]}",
        )
    epochs = next(iter(histories.values()))["epoch"]
    ax.set_xticks(epochs[::2])
    ax.set_xticklabels([format_number(e, lang) for e in epochs[::2]])
    ax.set_yticks(ax.get_yticks())
    ax.set_yticklabels([localize_digits(f"{t:.1f}", lang) for t in ax.get_yticks()])
    ax.set_ylim(0, 1.02)
    plots.style_axes(
        ax,
        lang,
        title=plots.words(lang, "Accuracy during training", "دقت در طول آموزش"),
        xlabel=plots.words(lang, "epoch", "دوره"),
        ylabel=plots.words(lang, "accuracy", "دقت"),
    )
    ax.grid(alpha=0.3)
    plots.legend(ax, lang, fontsize=8)
    return fig


# HTML: the code names are set as left-to-right code inside the Persian table.
_VARIANT_NAMES: Mapping[str, Text] = {
    "naive": Text(
        "<code>model.fit</code> on NumPy arrays, <code>float32</code>",
        'آرایه‌های NumPy با <code dir="ltr">model.fit</code>، <code dir="ltr">float32</code>',
    ),
    "pipeline-float32": Text(
        "<code>tf.data</code> pipeline, <code>float32</code>",
        'خط لولهٔ <code dir="ltr">tf.data</code>، <code dir="ltr">float32</code>',
    ),
    "pipeline": Text(
        "<code>tf.data</code> pipeline, package default",
        'خط لولهٔ <code dir="ltr">tf.data</code>، پیش‌فرض بسته',
    ),
}


def throughput_table_html(record: dict[str, Any], lang: str) -> Any:
    """The benchmark record's throughput (images/s) and speed-ups as an HTML table."""
    import html as html_module

    from IPython.display import HTML

    check_language(lang)
    results = record["metrics"]["throughput"]
    sizes = list(results)
    precision = record["config"].get("precision_of_pipeline", "")
    head = [words(lang, "Training path", "مسیر آموزش")] + [
        words(lang, f"batch {b}", f"دستهٔ {localize_digits(b, 'fa')}") for b in sizes
    ]
    rows = []
    for variant, variant_name in _VARIANT_NAMES.items():
        name = variant_name[lang]
        if variant == "pipeline" and precision:
            name += f' (<code dir="ltr">{html_module.escape(precision)}</code>)'
        cells = []
        for b in sizes:
            r = results[b][variant]
            text = format_number(r["images_per_second_median"], lang, 0)
            if "speedup_vs_naive_median" in r:
                text += " (×" + format_number(r["speedup_vs_naive_median"], lang, 2) + ")"
            cells.append(text)
        rows.append([Cell(name), *cells])
    return HTML(html_table(head, rows, lang))
