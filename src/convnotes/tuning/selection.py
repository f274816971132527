"""Selection bias: how much better a search's chosen trials look than they are.

A search ranks its trials by their score on the validation images and keeps the best.
That score is optimistic: among trials of similar quality, the winner is partly the
one the validation images happened to favour. Scored on images the search never saw,
it drops back; the drop is the selection bias (Cawley and Talbot, 2010).

:func:`selection_gap` measures it for one search. A random search whose trials train
a fixed number of epochs does not use its validation images for anything but the
final ranking, so with every trial's right/wrong answer on a pool of held-out images,
:func:`resampled_gaps` replays the same search with many other validation sets drawn
from the pool: the average of its gaps is the bias to expect, without training again.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = ["selection_gap", "resampled_gaps"]


def selection_gap(validation: Sequence[float], test: Sequence[float], k: int = 1) -> float:
    """Mean of ``validation - test`` over the ``k`` pairs with the best validation scores.

    ``validation[i]`` and ``test[i]`` are one trial's score on the images the search
    chose with and on images it never saw. For the trials a search picks (the top
    ``k``) the difference is its selection bias plus whatever separates the two image
    sets; over all trials only the second part is left. Ties in validation score keep
    the order given.

    Examples
    --------
    >>> round(selection_gap([0.90, 0.80, 0.70], [0.85, 0.82, 0.70]), 3)
    0.05
    >>> round(selection_gap([0.90, 0.80, 0.70], [0.85, 0.82, 0.70], k=3), 3)
    0.01
    >>> selection_gap([0.9], [0.8, 0.7])
    Traceback (most recent call last):
    ...
    ValueError: validation and test must be non-empty and of the same length, got 1 and 2
    """
    if len(validation) != len(test) or not len(validation):
        raise ValueError(
            "validation and test must be non-empty and of the same length, "
            f"got {len(validation)} and {len(test)}"
        )
    _check_k(k, len(validation))
    order = sorted(range(len(validation)), key=lambda i: -validation[i])[:k]
    return float(sum(validation[i] - test[i] for i in order) / k)


def _check_k(k: Any, n: int) -> None:
    if isinstance(k, bool) or not isinstance(k, int) or not 1 <= k <= n:
        raise ValueError(f"k must be an integer from 1 to {n} (the number of trials), got {k!r}")


def resampled_gaps(
    correct: Any, n_validation: int, *, k: int = 1, draws: int = 2000, seed: int = 0
) -> Any:
    """The selection gap of the top ``k`` trials for ``draws`` random validation sets.

    ``correct`` is a (trials, images) array of booleans: whether each trial's model
    classifies each held-out image correctly. Each draw takes ``n_validation`` of the
    images at random as the validation set and the rest as never-seen images, ranks
    the trials by validation accuracy (ties: lower index first, as
    :func:`selection_gap`) and returns the mean of ``validation - test`` over the top
    ``k``. With ``k`` equal to the number of trials nothing is selected and the gaps
    average to zero.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> same_quality = rng.random((10, 400)) < 0.9     # ten equally good classifiers
    >>> float(resampled_gaps(same_quality, 100).mean()) > 0.01
    True
    >>> abs(float(resampled_gaps(same_quality, 100, k=10).mean())) < 0.002
    True
    """
    import numpy as np

    correct = np.asarray(correct)
    if correct.ndim != 2 or correct.dtype != bool:
        raise ValueError(
            f"correct must be a 2-D boolean array (trials, images), got {correct.dtype} "
            f"with shape {correct.shape}"
        )
    trials, images = correct.shape
    if isinstance(n_validation, bool) or not isinstance(n_validation, int):
        raise TypeError(f"n_validation must be an integer, got {type(n_validation).__name__}")
    if not 1 <= n_validation < images:
        raise ValueError(
            f"n_validation must leave images on both sides: 1 to {images - 1}, got {n_validation}"
        )
    _check_k(k, trials)
    if isinstance(draws, bool) or not isinstance(draws, int) or draws < 1:
        raise ValueError(f"draws must be a positive integer, got {draws!r}")
    rng = np.random.default_rng(seed)
    # one random permutation of the images per draw: the first n_validation validate
    order = np.argsort(rng.random((draws, images)), axis=1)
    in_validation = np.zeros((draws, images), dtype=bool)
    np.put_along_axis(in_validation, order[:, :n_validation], True, axis=1)
    hits = correct.astype(np.float64)
    validation = in_validation @ hits.T / n_validation  # (draws, trials)
    test = ~in_validation @ hits.T / (images - n_validation)
    # stable sort on the negated score: ties keep the lower trial index first
    top = np.argsort(-validation, axis=1, kind="stable")[:, :k]
    gap = np.take_along_axis(validation - test, top, axis=1)
    return gap.mean(axis=1)
