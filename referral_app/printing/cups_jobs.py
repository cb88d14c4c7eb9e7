"""What CUPS says about a print job: read from libcups, the library Qt's own CUPS printing uses.

Qt hands the finished document to CUPS (``cupsPrintFile``) and ignores its answer, so
``QPrinter`` reports success even when CUPS refused the job. Here the queue's jobs are read
before and after a sheet is painted (``cupsGetJobs2``): no new job means CUPS did not take it;
a new job is followed for a few seconds until CUPS says it is completed, canceled or aborted, or
that it waits (a paused printer, a held job). Where libcups cannot be loaded (no CUPS on this
system) or the scheduler does not answer, the status is unknown and said so.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import time
from dataclasses import dataclass
from functools import cache

# ipp_jstate_t (cups/ipp.h)
STATES = {
    3: "pending",
    4: "held",
    5: "processing",
    6: "stopped",
    7: "canceled",
    8: "aborted",
    9: "completed",
}
FAILED = {"canceled", "aborted"}
SETTLED = FAILED | {"completed", "held", "stopped"}
WHICH_ALL = -1  # CUPS_WHICHJOBS_ALL


class _CupsJob(ctypes.Structure):  # cups_job_t (cups/cups.h)
    _fields_ = [
        ("id", ctypes.c_int),
        ("dest", ctypes.c_char_p),
        ("title", ctypes.c_char_p),
        ("user", ctypes.c_char_p),
        ("format", ctypes.c_char_p),
        ("state", ctypes.c_int),
        ("size", ctypes.c_int),
        ("priority", ctypes.c_int),
        ("completed_time", ctypes.c_long),
        ("creation_time", ctypes.c_long),
        ("processing_time", ctypes.c_long),
    ]


@dataclass(frozen=True, slots=True)
class Job:
    queue: str
    id: int
    title: str
    state: str

    @property
    def name(self) -> str:
        return f"{self.queue}-{self.id}"


@cache
def _libcups() -> ctypes.CDLL | None:
    for name in (ctypes.util.find_library("cups"), "libcups.so.2", "libcups.2.dylib"):
        if not name:
            continue
        try:
            lib = ctypes.CDLL(name)
        except OSError:
            continue
        jobs_p = ctypes.POINTER(ctypes.POINTER(_CupsJob))
        lib.cupsGetJobs2.argtypes = [
            ctypes.c_void_p,
            jobs_p,
            ctypes.c_char_p,
            ctypes.c_int,
            ctypes.c_int,
        ]
        lib.cupsGetJobs2.restype = ctypes.c_int
        lib.cupsFreeJobs.argtypes = [ctypes.c_int, ctypes.POINTER(_CupsJob)]
        lib.cupsFreeJobs.restype = None
        return lib
    return None


def _text(raw: bytes | None) -> str:
    return raw.decode("utf-8", "replace") if raw else ""


def _job(queue: str, raw: _CupsJob) -> Job:
    return Job(queue, raw.id, _text(raw.title), STATES.get(raw.state, f"state {raw.state}"))


def jobs(queue: str) -> dict[int, Job] | None:
    """This user's jobs on ``queue`` (all states CUPS still remembers), or None when CUPS cannot
    be asked (no libcups here, the scheduler not running, no such queue)."""
    lib = _libcups()
    if lib is None:
        return None
    found = ctypes.POINTER(_CupsJob)()
    count = lib.cupsGetJobs2(None, ctypes.byref(found), queue.encode(), 1, WHICH_ALL)
    if count < 0:
        return None
    try:
        return {job.id: job for job in (_job(queue, found[i]) for i in range(count))}
    finally:
        lib.cupsFreeJobs(count, found)


class JobNotAcceptedError(OSError):
    """CUPS holds no new job for the sheet: it refused it (the queue rejects jobs, the server
    went away); nothing will print."""


class JobFailedError(OSError):
    """CUPS canceled or aborted the sheet's job."""


def follow(queue: str, before: dict[int, Job] | None, title: str, wait: float = 5.0) -> Job | None:
    """The job painted since ``before`` was read, followed for up to ``wait`` seconds until CUPS
    settles it. None when CUPS could not be asked (before or now). Raises JobNotAcceptedError
    when no new job with ``title`` exists, JobFailedError when CUPS canceled or aborted it."""
    if before is None:
        return None
    deadline = time.monotonic() + wait
    while True:
        now = jobs(queue)
        if now is None:
            return None
        new = [job for i, job in now.items() if i not in before and job.title == title]
        if not new:
            raise JobNotAcceptedError(f"CUPS did not accept the job for {queue}: nothing printed")
        job = max(new, key=lambda j: j.id)
        if job.state in FAILED:
            raise JobFailedError(f"CUPS {job.state} print job {job.name}: the sheet did not print")
        if job.state in SETTLED or time.monotonic() >= deadline:
            return job
        time.sleep(0.2)
