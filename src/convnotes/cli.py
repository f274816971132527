"""The ``convnotes`` command.

Each subcommand lives in the module that does the work; this file only wires
the argument parser. Subcommands are imported lazily so ``convnotes --help``
does not import TensorFlow.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from convnotes import __version__

# subcommand name -> (module, help). Each module defines
# ``add_arguments(parser)`` and ``run(args) -> int``.
SUBCOMMANDS: dict[str, tuple[str, str]] = {
    "train": ("convnotes.training", "train the CIFAR-10 CNN and write a run record (JSON)"),
    "tune": ("convnotes.tuning", "run a Keras Tuner search and write a run record (JSON)"),
    "exercises": ("convnotes.exercises", "generate exercises with answer keys"),
    "benchmark": ("convnotes.benchmarks", "time the reference implementations"),
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="convnotes", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"convnotes {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module_name, help_text) in SUBCOMMANDS.items():
        sub_parser = sub.add_parser(name, help=help_text)
        sub_parser.set_defaults(_module=module_name)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    # First pass finds the subcommand; its module then adds its own arguments.
    # (--help waits for the second pass, so that it lists the subcommand's options.)
    known, _ = parser.parse_known_args([a for a in argv if a not in ("-h", "--help")])
    if known.command is None:
        if "-h" in argv or "--help" in argv:
            parser.print_help()
            return 0
        parser.print_help()
        return 2
    module = importlib.import_module(known._module)
    sub_parser = parser._subparsers._group_actions[0].choices[known.command]  # type: ignore[union-attr]
    module.add_arguments(sub_parser)
    args = parser.parse_args(argv)
    return int(module.run(args) or 0)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
