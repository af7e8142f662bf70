"""Run a few processes as one: what `make run` (manage.py run_embedded) does with the web server and the worker.

Each child runs in a process group of its own, so that stopping it also stops what it started (runserver's
autoreloading child, the worker's beat process). The launcher waits; when it is asked to stop (Ctrl-C, SIGTERM,
SIGHUP) or when one child exits, it stops the others: SIGTERM to each group (the worker finishes its task and puts
back what it had taken), then SIGKILL to whatever is left after `grace` seconds. Its exit status is the first
child's to exit (0 when it was asked to stop).
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


@dataclass(frozen=True)
class Child:
    name: str
    argv: Sequence[str]


class Stop(Exception):
    """The launcher was asked to stop (a signal)."""


def _raise_stop(signum, frame):
    raise Stop(signum)


def _die_with_parent():  # pragma: no cover (runs in the child, between fork and exec)
    """Linux: the child gets SIGTERM if the launcher dies without stopping it (SIGKILL, a crash)."""
    os.setsid()
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def start(child: Child, *, env: dict | None = None) -> subprocess.Popen:
    if sys.platform.startswith("linux"):
        return subprocess.Popen(list(child.argv), env=env, preexec_fn=_die_with_parent)  # noqa: S603 (our argv)
    return subprocess.Popen(list(child.argv), env=env, start_new_session=True)  # noqa: S603 (our argv)


def _signal_group(process: subprocess.Popen, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signum)


def stop_all(processes: Sequence[subprocess.Popen], *, grace: float = 15.0) -> None:
    """SIGTERM every child's group, wait up to `grace` seconds, then SIGKILL the groups still there. Signals the
    groups of children that already exited too: what they started may still run."""
    for process in processes:
        _signal_group(process, signal.SIGTERM)
    deadline = time.monotonic() + grace
    for process in processes:
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(timeout=max(0.0, deadline - time.monotonic()))
    for process in processes:
        _signal_group(process, signal.SIGKILL)
        process.wait()


def run(
    children: Sequence[Child],
    *,
    env: dict | None = None,
    grace: float = 15.0,
    poll: float = 0.2,
    say: Callable[[str], None] = lambda message: print(message, file=sys.stderr, flush=True),
) -> int:
    """Start the children, wait until one exits or a stop signal arrives, stop them all; return the exit status."""
    previous = {signum: signal.signal(signum, _raise_stop) for signum in STOP_SIGNALS}
    processes: list[subprocess.Popen] = []
    status = 0
    try:
        for child in children:
            processes.append(start(child, env=env))
        while True:
            for child, process in zip(children, processes, strict=True):
                code = process.poll()
                if code is not None:
                    say(f"{child.name} exited with status {code}: stopping the others.")
                    status = code if code >= 0 else 128 - code  # killed by signal N: 128 + N, as shells say
                    raise Stop(None)
            time.sleep(poll)
    except Stop:
        pass
    finally:
        for signum in STOP_SIGNALS:  # a second Ctrl-C must not interrupt the stopping
            signal.signal(signum, signal.SIG_IGN)
        say("Stopping " + ", ".join(child.name for child in children) + "…")
        stop_all(processes, grace=grace)
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    return status
