"""keras-tuner's distributed mode: one chief oracle, several workers, gRPC between them.

keras-tuner decides a process's role from three environment variables:

``KERASTUNER_TUNER_ID``
    ``chief`` for the process that owns the oracle; any other unique name
    (``worker0``, ``worker1``, ...) for a process that trains models;
``KERASTUNER_ORACLE_IP`` and ``KERASTUNER_ORACLE_PORT``
    where the chief listens (on the chief: the address to bind, e.g. ``0.0.0.0``).

Every process runs the same program. The chief answers the workers' requests for
trials (``CreateTrial``), their results (``UpdateTrial``, ``EndTrial``) and queries;
the workers build and train models. All of them must see the same project
directory (a shared file system on several hosts): the chief keeps the oracle's
state there, and Hyperband's promoted trials load their parents' checkpoints from it.

:func:`launch` starts a chief and ``n`` workers on this machine, which is what
``convnotes tune --distributed N`` does. :func:`serve_oracle` is the chief's side:
keras-tuner's own ``OracleServicer`` behind a gRPC server, with a shorter polling
interval than ``keras_tuner``'s ``start_server`` (which checks for the end of the
search every 20 seconds once a worker has been told to stop).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

CHIEF_ID = "chief"


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that was free on ``host`` a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def role_environment(tuner_id: str, host: str, port: int) -> dict[str, str]:
    """The three keras-tuner variables for a process called ``tuner_id``.

    Examples
    --------
    >>> role_environment("worker0", "10.0.0.5", 8000)["KERASTUNER_ORACLE_IP"]
    '10.0.0.5'
    """
    if not tuner_id or any(c.isspace() for c in tuner_id):
        raise ValueError(f"tuner_id must be a non-empty name without spaces, got {tuner_id!r}")
    if not 0 < int(port) < 65536:
        raise ValueError(f"port must be in 1..65535, got {port}")
    return {
        "KERASTUNER_TUNER_ID": tuner_id,
        "KERASTUNER_ORACLE_IP": host,
        "KERASTUNER_ORACLE_PORT": str(int(port)),
    }


def current_role() -> str | None:
    """``"chief"``, ``"worker"`` or ``None`` (not distributed), from the environment."""
    if "KERASTUNER_ORACLE_IP" not in os.environ:
        return None
    return "chief" if CHIEF_ID in os.environ.get("KERASTUNER_TUNER_ID", "") else "worker"


def serve_oracle(oracle: Any, poll_seconds: float = 0.2) -> None:
    """Serve ``oracle`` to the workers until the search has ended.

    The search has ended once the oracle has told some worker to stop and no
    worker still holds a trial or has yet to be told to stop (keras-tuner's
    ``exit_chief``). Binds ``KERASTUNER_ORACLE_IP:KERASTUNER_ORACLE_PORT``.
    """
    from concurrent import futures

    import grpc
    from keras_tuner.src import protos
    from keras_tuner.src.distribute import oracle_chief

    address = f"{os.environ['KERASTUNER_ORACLE_IP']}:{os.environ['KERASTUNER_ORACLE_PORT']}"
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=1))
    servicer = oracle_chief.OracleServicer(oracle)
    protos.get_service_grpc().add_OracleServicer_to_server(servicer, server)
    if server.add_insecure_port(address) == 0:
        raise OSError(f"the chief could not listen on {address}")
    server.start()
    try:
        while not (servicer.stop_triggered and oracle_chief.exit_chief(oracle)):
            time.sleep(poll_seconds)
    finally:
        server.stop(grace=1.0)


def launch(
    tune_args: Sequence[str],
    workers: int,
    *,
    log_dir: str | Path,
    host: str = "127.0.0.1",
    port: int | None = None,
    timeout_s: float | None = None,
) -> int:
    """Run ``convnotes tune TUNE_ARGS`` as a chief plus ``workers`` workers on this machine.

    Each process's output goes to ``log_dir/<tuner_id>.log``. Returns 0 when every
    process succeeded; if one fails (or ``timeout_s`` passes) the others are
    stopped and the first failing exit status is returned.
    """
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise ValueError(f"workers must be a positive integer, got {workers!r}")
    log_dir = Path(log_dir)
    log_dir.mkdir(parents=True, exist_ok=True)
    port = port or free_port(host)
    command = [sys.executable, "-m", "convnotes.cli", "tune", *tune_args]
    names = [CHIEF_ID] + [f"worker{i}" for i in range(workers)]
    processes: dict[str, subprocess.Popen] = {}
    logs = []
    try:
        for name in names:
            env = {**os.environ, **role_environment(name, host, port)}
            log = open(log_dir / f"{name}.log", "w")  # noqa: SIM115 - closed below
            logs.append(log)
            processes[name] = subprocess.Popen(
                command, env=env, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = None if timeout_s is None else time.monotonic() + timeout_s
        while True:
            codes = {name: p.poll() for name, p in processes.items()}
            failed = [name for name, code in codes.items() if code not in (None, 0)]
            if failed:
                print(
                    f"{failed[0]} exited with status {codes[failed[0]]}; "
                    f"see {log_dir / (failed[0] + '.log')}",
                    file=sys.stderr,
                )
                return int(codes[failed[0]])
            if all(code == 0 for code in codes.values()):
                return 0
            if deadline is not None and time.monotonic() > deadline:
                print(
                    f"distributed search still running after {timeout_s} s; stopped",
                    file=sys.stderr,
                )
                return 124
            time.sleep(0.2)
    finally:
        for process in processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in processes.values():
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for log in logs:
            log.close()
