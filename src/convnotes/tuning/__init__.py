"""Keras Tuner: search spaces, every tuner, Hyperband's schedule, resumable and
distributed searches, and the ``convnotes tune`` command.

Modules (importing this package does not import TensorFlow):

``schedule``     Hyperband's brackets and rounds, as keras-tuner 1.4 runs them and as
                 Li et al. (2018) state them
``space``        what each hyperparameter type samples, what GridSearch enumerates,
                 and the checks on a search space and an objective
``problems``     the problems a search can run on (digits, CIFAR-10, an analytic
                 stand-in) and their budgets
``tuners``       keras-tuner's tuners with trial records, a resumable GridSearch, a
                 custom tuner; :func:`~convnotes.tuning.tuners.make_tuner`
``records``      run records rebuilt from a project directory
``selection``    selection bias: how optimistic a search's best score is
``distributed``  keras-tuner's chief/worker mode on one or several machines
``command``      ``convnotes tune``

Their figures, tables and the search report are in :mod:`convnotes.presentation`.
"""

from __future__ import annotations

from convnotes.tuning.command import add_arguments, run

__all__ = ["add_arguments", "run"]
