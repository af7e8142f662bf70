"""The embedded default's task broker: messages as files in a folder (kombu's filesystem transport, made safe).

`make run` (manage.py run_embedded) starts a Celery worker next to the web server with nothing but Python: the
web process writes each task message as a file into `var/queue/`, the worker takes the oldest one. kombu's own
filesystem transport has four gaps that this one closes:

- a message is written in place, so a worker listing the folder at that moment could read half a file: here it is
  written under a temporary name and renamed (atomic) once complete;
- messages are named after `time.monotonic()`, which starts again at each boot: here after the wall clock, in
  nanoseconds, zero-padded, so the oldest message sorts first;
- a taken message is moved to the temporary folder (a copy when /tmp is another file system, so two workers could
  both take it): here it is renamed inside the queue folder, which only one taker can do;
- queues are read in turn: here always the first non-empty one in the worker's order (default, mail, documents;
  CELERY_TASK_QUEUES), as Redis's "priority" order strategy does, so PDFs never hold up a bulk job's awards.

Like Redis without persistence tuning, it keeps messages that a worker has taken but not finished in the worker's
memory (acks_late): they are put back on a warm shutdown (Ctrl-C), lost if the worker is killed outright. Good for
one machine and one worker; production uses Redis.
"""

from __future__ import annotations

import os
import time
import uuid
from pathlib import Path
from queue import Empty

from kombu.transport import filesystem, virtual
from kombu.utils.encoding import bytes_to_str, str_to_bytes
from kombu.utils.json import dumps, loads
from kombu.utils.scheduling import FairCycle

TAKEN = "taken"  # sub-folder a message is renamed into by the worker that takes it


class InOrderCycle(FairCycle):
    """Always try the queues from the first: the first one with a message wins (priority order)."""

    def get(self, callback, **kwargs):
        for resource in list(self.resources):
            try:
                return self.fun(resource, callback, **kwargs)
            except self.predicate:
                continue
        raise self.predicate()


class Channel(filesystem.Channel):
    def _put(self, queue, payload, **kwargs):
        folder = Path(self.data_folder_out)
        name = f"{time.time_ns():020d}_{uuid.uuid4().hex}.{queue}.msg"
        partial = folder / f".{name}.part"  # never matches a queue: the name starts with a dot
        partial.write_bytes(str_to_bytes(dumps(payload)))
        os.replace(partial, folder / name)

    def _get(self, queue):
        folder = Path(self.data_folder_in)
        wanted = f"{queue}.msg"
        taken = folder / TAKEN
        taken.mkdir(exist_ok=True)
        for name in sorted(os.listdir(folder)):
            if name.partition(".")[2] != wanted:
                continue
            mine = taken / name
            try:
                os.rename(folder / name, mine)  # atomic: of two takers, one succeeds
            except OSError:
                continue
            payload = mine.read_bytes()
            mine.unlink()
            return loads(bytes_to_str(payload))
        raise Empty()

    def _reset_cycle(self):
        self._cycle = InOrderCycle(self._get_and_deliver, self._active_queues, Empty)


class Transport(filesystem.Transport):
    """kombu keeps one record of declared exchanges and bindings for every filesystem connection of a process:
    here one per queue folder, so that a second folder (tests) gets its bindings written too."""

    Channel = Channel
    folder_states: dict[str, virtual.BrokerState] = {}

    def __init__(self, client, **kwargs):
        super().__init__(client, **kwargs)
        folder = str(client.transport_options.get("data_folder_out", ""))
        self.state = self.folder_states.setdefault(folder, virtual.BrokerState())


def transport_options(folder: Path) -> dict:
    """CELERY_BROKER_TRANSPORT_OPTIONS for a queue folder (created here: the web process may write first)."""
    folder.mkdir(parents=True, exist_ok=True)
    control = folder / "control"
    control.mkdir(exist_ok=True)
    return {
        "data_folder_in": str(folder),
        "data_folder_out": str(folder),
        "control_folder": str(control),
        "polling_interval": 0.5,
    }


def pending(folder: Path) -> int:
    """Messages waiting in the folder (every queue), for /healthz."""
    return sum(1 for name in os.listdir(folder) if name.endswith(".msg"))
