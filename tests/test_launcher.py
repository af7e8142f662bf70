"""config/launcher.py, what `make run` (manage.py run_embedded) runs its web server and worker with: the children
stop together, whatever stops first, and nothing they started is left behind."""

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import CommandError, call_command

from config import launcher
from config.management.commands import run_embedded

ROOT = Path(__file__).resolve().parents[1]
SLEEPER = [sys.executable, "-c", "import time; time.sleep(300)"]


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie (exited, not yet reaped by its parent) counts as gone
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(")")[-1].split()[0] != "Z"
    except FileNotFoundError:
        return False


def wait_gone(pids, timeout=20.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not any(alive(pid) for pid in pids):
            return True
        time.sleep(0.1)
    return False


def pid_writer(path: Path, *, ignore_term=False, spawn=False, exit_after=None) -> list[str]:
    """A child that writes its pid (and, with spawn, its own child's) to `path`, then sleeps or exits."""
    code = f"""
        import os, signal, subprocess, sys, time
        if {ignore_term}:
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
        pids = [os.getpid()]
        if {spawn}:
            pids.append(subprocess.Popen([sys.executable, "-c", "import time; time.sleep(300)"]).pid)
        with open({str(path)!r} + ".tmp", "w") as f:
            f.write(" ".join(map(str, pids)))
        os.replace({str(path)!r} + ".tmp", {str(path)!r})
        if {exit_after!r} is not None:
            time.sleep({exit_after!r} or 0)
            sys.exit(3)
        time.sleep(300)
    """
    return [sys.executable, "-c", textwrap.dedent(code)]


def read_pids(path: Path, timeout=20.0) -> list[int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if path.exists():
            return [int(pid) for pid in path.read_text().split()]
        time.sleep(0.05)
    raise AssertionError(f"no pid file {path}")


def test_a_child_that_exits_stops_the_others_and_gives_its_status(tmp_path):
    messages = []
    children = [
        launcher.Child("sleeper", pid_writer(tmp_path / "a", spawn=True)),
        launcher.Child("quitter", pid_writer(tmp_path / "b", exit_after=1.0)),
    ]
    status = launcher.run(children, grace=5, say=messages.append)
    assert status == 3
    sleeper_pids = read_pids(tmp_path / "a")
    assert len(sleeper_pids) == 2
    assert wait_gone(sleeper_pids), "the sleeper and the process it started must be stopped"
    assert any("quitter exited with status 3" in message for message in messages)


def test_sigterm_to_the_launcher_stops_every_child_and_grandchild(tmp_path):
    """The launcher in a process of its own, stopped as a terminal or a service manager would stop it."""
    script = textwrap.dedent(f"""
        import sys
        from config import launcher
        children = [
            launcher.Child("one", {pid_writer(tmp_path / "one", spawn=True)!r}),
            launcher.Child("two", {pid_writer(tmp_path / "two")!r}),
        ]
        sys.exit(launcher.run(children, grace=5))
    """)
    process = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT)  # noqa: S603
    try:
        pids = read_pids(tmp_path / "one") + read_pids(tmp_path / "two")
        assert all(alive(pid) for pid in pids)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0  # asked to stop: not a failure
        assert wait_gone(pids), "every child and grandchild must be gone"
    finally:
        if process.poll() is None:
            process.kill()


def test_sigint_is_ctrl_c(tmp_path):
    script = textwrap.dedent(f"""
        import sys
        from config import launcher
        sys.exit(launcher.run([launcher.Child("one", {pid_writer(tmp_path / "one")!r})], grace=5))
    """)
    process = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT)  # noqa: S603
    try:
        pids = read_pids(tmp_path / "one")
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0
        assert wait_gone(pids)
    finally:
        if process.poll() is None:
            process.kill()


def test_a_child_that_ignores_sigterm_is_killed_after_the_grace_period(tmp_path):
    stubborn = launcher.start(launcher.Child("stubborn", pid_writer(tmp_path / "s", ignore_term=True)))
    [pid] = read_pids(tmp_path / "s")
    started = time.monotonic()
    launcher.stop_all([stubborn], grace=1.0)
    assert 0.9 <= time.monotonic() - started < 15
    assert stubborn.returncode == -signal.SIGKILL
    assert not alive(pid)


def test_a_child_killed_by_a_signal_gives_128_plus_the_signal():
    children = [launcher.Child("killed", [sys.executable, "-c", "import os, signal; os.kill(os.getpid(), 9)"])]
    assert launcher.run(children, grace=2, say=lambda message: None) == 128 + signal.SIGKILL


@pytest.fixture
def folder_queue(settings, tmp_path):
    """The test settings run tasks in-process with a memory:// broker; the command needs the embedded one."""
    settings.CELERY_BROKER_URL = "filesystem://localhost//"
    settings.EMBEDDED_QUEUE_DIR = str(tmp_path)


def test_run_embedded_starts_a_worker_with_beat_and_the_web_server(monkeypatch, folder_queue):
    """The command's wiring (the processes themselves: tests/test_make_run.py)."""
    monkeypatch.setenv("PORT", "8765")
    with mock.patch.object(run_embedded.launcher, "run", return_value=0) as run:
        call_command("run_embedded", "--noreload")
    [children] = run.call_args.args
    worker, web = children
    assert worker.argv[1:6] == ["-m", "celery", "-A", "config", "worker"]
    assert "--pool=solo" in worker.argv and "--beat" in worker.argv
    assert web.argv[-3:] == ["runserver", "127.0.0.1:8765", "--noreload"]
    env = run.call_args.kwargs["env"]
    assert env["CELERY_TASK_ALWAYS_EAGER"] == "false"  # the web server sends tasks to the worker
    assert env["DJANGO_SETTINGS_MODULE"]


def test_run_embedded_passes_the_address_and_no_beat(folder_queue):
    with mock.patch.object(run_embedded.launcher, "run", return_value=0) as run:
        call_command("run_embedded", "0.0.0.0:9000", "--no-beat")
    worker, web = run.call_args.args[0]
    assert "--beat" not in worker.argv
    assert web.argv[-1] == "0.0.0.0:9000"


def test_run_embedded_exits_with_the_failing_child_status(folder_queue):
    with mock.patch.object(run_embedded.launcher, "run", return_value=2), pytest.raises(SystemExit) as exited:
        call_command("run_embedded")
    assert exited.value.code == 2


def test_run_embedded_refuses_a_broker_only_this_process_sees(settings):
    settings.CELERY_BROKER_URL = "memory://"
    with mock.patch.object(run_embedded.launcher, "run") as run, pytest.raises(CommandError, match="memory://"):
        call_command("run_embedded")
    run.assert_not_called()
