"""Make sure PostgreSQL and Redis answer on 127.0.0.1, starting them when they are installed but stopped.

`python -m tests.services ensure` exits 0 when both answer, else prints why and exits 1.
"""

import glob
import os
import shutil
import socket
import subprocess
import sys
import time

POSTGRES = ("127.0.0.1", 5432)
REDIS = ("127.0.0.1", 6379)


def answers(address, timeout=1.0) -> bool:
    try:
        with socket.create_connection(address, timeout=timeout):
            return True
    except OSError:
        return False


def _wait(address, seconds=20) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if answers(address):
            return True
        time.sleep(0.3)
    return False


def _start_postgres() -> str | None:
    clusters = sorted(glob.glob("/etc/postgresql/*/main"))
    if not clusters or not shutil.which("pg_ctlcluster"):
        return "PostgreSQL is not installed (no cluster in /etc/postgresql)"
    version = clusters[-1].split("/")[3]
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"],
        capture_output=True,
        timeout=60,
        check=False,
    )
    return None if _wait(POSTGRES) else "PostgreSQL did not start on 127.0.0.1:5432"


def _start_redis() -> str | None:
    if not shutil.which("redis-server"):
        return "Redis is not installed (no redis-server)"
    os.makedirs("/tmp/laurel-redis", exist_ok=True)  # noqa: S108
    subprocess.run(
        [
            "redis-server",
            "--daemonize",
            "yes",
            "--bind",
            "127.0.0.1",
            "--port",
            "6379",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            "/tmp/laurel-redis",
        ],
        capture_output=True,
        timeout=30,
        check=False,
    )
    return None if _wait(REDIS) else "Redis did not start on 127.0.0.1:6379"


def ensure() -> str | None:
    problems = []
    if not answers(POSTGRES) and (problem := _start_postgres()):
        problems.append(problem)
    if not answers(REDIS) and (problem := _start_redis()):
        problems.append(problem)
    return "; ".join(problems) or None


if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] != "ensure":
        sys.exit("usage: python -m tests.services ensure")
    problem = ensure()
    if problem:
        print(problem)
        sys.exit(1)
