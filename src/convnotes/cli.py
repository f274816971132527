"""The ``convnotes`` command.

Each subcommand lives in the module that does the work; this file only wires
the argument parser. Subcommands are imported lazily so ``convnotes --help``
does not import TensorFlow.

Every subcommand reports a bad request, or missing or corrupt data, as one line
``convnotes CMD: error: ...`` on standard error with exit status 2, never a
traceback: argparse's own errors, :class:`CommandError` raised by a subcommand and
the data loader's :class:`~convnotes.data.DataError` and
:class:`~convnotes.data.DataUnavailable` all end there.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from convnotes import __version__

# subcommand name -> (module, help). Each module defines
# ``add_arguments(parser)`` and ``run(args) -> int``.
SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "train": ("convnotes.training", "train the CIFAR-10 CNN and write a run record (JSON)"),
    "tune": ("convnotes.tuning", "run a Keras Tuner search and write a run record (JSON)"),
    "exercises": ("convnotes.exercises", "generate exercises with answer keys"),
    "benchmark": ("convnotes.benchmarks", "time the reference implementations"),
}

USAGE_STATUS = 2


class CommandError(ValueError):
    """A bad request or bad data: ``convnotes`` prints it as one error line, status 2."""


class _Parser(argparse.ArgumentParser):
    """argparse, but an error is the one line ``PROG: error: MESSAGE`` (status 2)."""

    def error(self, message: str) -> NoReturn:
        self.exit(USAGE_STATUS, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def positive_int(text: str) -> int:
    """argparse type: an integer >= 1.

    Examples
    --------
    >>> positive_int("3")
    3
    >>> positive_int("0")
    Traceback (most recent call last):
    argparse.ArgumentTypeError: must be a positive integer, got '0'
    """
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {text!r}")
    return value


def non_negative_int(text: str) -> int:
    """argparse type: an integer >= 0.

    Examples
    --------
    >>> non_negative_int("0")
    0
    """
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be a non-negative integer, got {text!r}")
    return value


def writable_file(path: str | os.PathLike[str], option: str) -> Path:
    """``path`` as a Path once its folder exists (made if need be) and can be written.

    Called before any long work, so that a run's result is never lost at the end for
    want of a place to write it.
    """
    path = Path(path)
    if path.is_dir():
        raise CommandError(f"{option} {path}: is a folder; give a file name")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise CommandError(
            f"{option} {path}: cannot create its folder ({error.strerror})"
        ) from None
    if not os.access(path.parent, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise CommandError(f"{option} {path}: not writable")
    return path


def _is_reported(error: BaseException) -> bool:
    if isinstance(error, CommandError):
        return True
    data = sys.modules.get("convnotes.data")
    return data is not None and isinstance(error, (data.DataError, data.DataUnavailable))


def build_parser() -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    """The top-level parser and one (still empty) parser per subcommand."""
    parser = _Parser(prog="convnotes", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"convnotes {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    subparsers = {}
    for name, (module_name, help_text) in SUBCOMMANDS.items():
        subparsers[name] = sub.add_parser(name, help=help_text)
        subparsers[name].set_defaults(_module=module_name)
    return parser, subparsers


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser, subparsers = build_parser()
    # First pass finds the subcommand; its module then adds its own arguments.
    # (--help waits for the second pass, so that it lists the subcommand's options.)
    known, _ = parser.parse_known_args([a for a in argv if a not in ("-h", "--help")])
    if known.command is None:
        parser.print_help()
        return 0 if ("-h" in argv or "--help" in argv) else USAGE_STATUS
    module = importlib.import_module(known._module)
    module.add_arguments(subparsers[known.command])
    args = parser.parse_args(argv)
    try:
        return int(module.run(args) or 0)
    except Exception as error:
        if not _is_reported(error):
            raise
        print(f"convnotes {known.command}: error: {error}", file=sys.stderr)
        return USAGE_STATUS


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
