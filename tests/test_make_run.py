"""`make run` end to end (issue 15.4): the embedded launcher (manage.py run_embedded) with its real processes, a
web server and a Celery worker with beat on a folder queue, SQLite in a temporary folder and a free port.

A 300-row bulk job started from the staff console must return at once (the worker issues it; in-process it took
50 s), its progress must move while the worker issues, and the PDFs must be rendered by the worker afterwards (or
on first download, which works at any time). Ctrl-C (SIGTERM here) stops every process.

Marked `tools`: it starts real processes, so it runs in the tools pass, not the fast one (tests/run.sh).
"""

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from tests.support.processes import free_port, wait_for

pytestmark = pytest.mark.tools
ROOT = Path(__file__).resolve().parents[1]
ROWS = 300
PROGRAMME = "social-protection"  # demo data (demo/data.py), its staff: the demo superuser


def children_of(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def gone(pid: int) -> bool:
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True


def csrf(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


@pytest.fixture(scope="module")
def embedded(tmp_path_factory):
    """A fresh embedded instance, as `make run` makes one: migrate, load_demo, then the launcher."""
    var = tmp_path_factory.mktemp("var")
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith(("CELERY_", "REDIS_", "TEST_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.local",
        DATABASE_URL=f"sqlite:///{var / 'laurel.sqlite3'}",
        PORT=str(port),
        BASE_URL=f"http://127.0.0.1:{port}",
        MEDIA_ROOT=str(var / "media"),
        PRIVATE_MEDIA_ROOT=str(var / "private"),
        EMBEDDED_QUEUE_DIR=str(var / "queue"),
        CACHE_DIR=str(var / "cache" / "default"),
        ANALYTICS_CACHE_DIR=str(var / "cache" / "analytics"),
        CELERY_BEAT_SCHEDULE_FILENAME=str(var / "celerybeat-schedule"),
        EMAIL_URL="dummymail://",
        RATELIMIT_ENABLE="false",
        DEMO_HISTORY_AWARDS="150",
    )
    manage = [sys.executable, str(ROOT / "manage.py")]
    for command in (["migrate", "--noinput"], ["load_demo"]):
        subprocess.run([*manage, *command], env=env, cwd=ROOT, check=True, capture_output=True, timeout=600)  # noqa: S603
    log = open(var / "run.log", "wb")  # noqa: SIM115 (closed below; a file: a full pipe would block the processes)
    launcher = subprocess.Popen(  # noqa: S603
        [*manage, "run_embedded", "--noreload", "--grace", "20"],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"

    def healthy():
        try:
            return requests.get(base + "/healthz", timeout=2).json()
        except (requests.RequestException, ValueError):
            assert launcher.poll() is None, (var / "run.log").read_text()
            return None

    try:
        health = wait_for(healthy, timeout=120, interval=0.5, what="the web server")
        yield {"base": base, "var": var, "launcher": launcher, "health": health}
    finally:
        if launcher.poll() is None:
            launcher.send_signal(signal.SIGTERM)
            try:
                launcher.wait(timeout=60)
            except subprocess.TimeoutExpired:
                launcher.kill()
        log.close()


def staff_session(base: str) -> requests.Session:
    session = requests.Session()
    page = session.get(base + "/admin/login/", timeout=30)
    response = session.post(
        base + "/admin/login/",
        data={"csrfmiddlewaretoken": csrf(page.text), "username": "staff", "password": "laurel-demo-staff"},
        headers={"Referer": base + "/admin/login/"},
        timeout=30,
    )
    assert response.status_code == 200 and "/admin/login/" not in response.url
    return session


def test_healthz_names_the_folder_queue(embedded):
    assert embedded["health"]["broker"]["kind"] == "folder"


def test_a_bulk_job_returns_at_once_and_its_progress_moves(embedded):
    base, var = embedded["base"], embedded["var"]
    session = staff_session(base)
    issue = session.get(f"{base}/staff/p/{PROGRAMME}/issue/", timeout=30)
    # the programme's certificate (its competency badge has no PDF, publishing modes)
    achievement = re.search(r'<option value="(\d+)"[^>]*>[^<]*Social Protection Floors', issue.text).group(1)
    rows = "email,name\n" + "".join(f"cohort-{i:03d}@example.org,Learner {i:03d}\n" for i in range(ROWS))
    job_page = session.post(
        f"{base}/staff/p/{PROGRAMME}/issue/",
        data={"csrfmiddlewaretoken": csrf(issue.text), "achievement": achievement, "mode": "csv"},
        files={"file": ("cohort.csv", rows.encode(), "text/csv")},
        headers={"Referer": base},
        timeout=60,
    )
    assert job_page.status_code == 200 and "/jobs/" in job_page.url, job_page.text[:500]
    job_url = job_page.url

    started = time.monotonic()
    response = session.post(
        job_url + "start/", data={"csrfmiddlewaretoken": csrf(job_page.text)}, headers={"Referer": base}, timeout=60
    )
    took = time.monotonic() - started
    assert response.status_code == 200
    assert took < 5, f"starting the job took {took:.1f} s: it must not issue in the request"

    seen = []

    def finished():
        progress = session.get(job_url + "progress.json", timeout=30).json()
        seen.append((progress["state"], progress["processed"]))
        return progress["finished"] and progress

    progress = wait_for(finished, timeout=240, interval=0.2, what="the job to finish")
    assert progress["state"] == "done" and progress["created"] == ROWS
    counts = [processed for _, processed in seen]
    assert counts == sorted(counts), "progress never goes back"
    assert seen[0] == ("running", counts[0]) and counts[0] < ROWS, "the page after Start shows a running job"
    assert any(0 < count < ROWS for count in counts), f"the progress bar moved through the job: {seen}"

    # A PDF can be downloaded at once: rendered by the worker, or on this first download if not yet.
    report = session.get(job_url + "report.csv", timeout=60).text.splitlines()
    public_id = report[1].split(",")[4]
    pdf = session.get(f"{base}/c/{public_id}/certificate.pdf", timeout=60)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")

    # The worker renders every PDF off the request, and drains the queue.
    certificates = var / "media" / "certificates"
    wait_for(lambda: certificates.exists() and len(list(certificates.glob("*.pdf"))) >= ROWS,
             timeout=600, interval=1, what="the worker's PDFs")  # fmt: skip
    wait_for(lambda: requests.get(base + "/healthz", timeout=10).json()["broker"]["pending"] == 0,
             timeout=300, interval=1, what="an empty queue")  # fmt: skip


def test_stopping_the_launcher_stops_the_web_server_and_the_worker(embedded):
    launcher = embedded["launcher"]
    children = children_of(launcher.pid)
    assert len(children) == 2  # the web server and the worker
    grandchildren = [pid for child in children for pid in children_of(child)]  # the worker's beat
    launcher.send_signal(signal.SIGTERM)
    assert launcher.wait(timeout=60) == 0
    wait_for(lambda: all(gone(pid) for pid in children + grandchildren), timeout=30, what="every process to stop")
    with pytest.raises(requests.ConnectionError):
        requests.get(embedded["base"] + "/healthz", timeout=5)
