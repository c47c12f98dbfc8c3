"""Timed subprocesses with their peak memory, the machine's description, and the targets table."""

from __future__ import annotations

import contextlib
import os
import platform
import signal
import statistics
import subprocess
import tempfile
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path


@dataclass
class Run:
    """One finished (or abandoned) process: wall time, peak resident memory, what it printed."""

    wall: float | None  # None when it did not finish in time
    peak_rss: int  # bytes: the largest of the process and the children it waited for
    returncode: int | None
    output: str

    @property
    def ok(self) -> bool:
        return self.wall is not None and self.returncode == 0


def run(
    command: Sequence[str | Path],
    timeout: float,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
) -> Run:
    """Run `command` to its end or until `timeout` seconds have passed (then kill its group)."""
    with tempfile.TemporaryFile() as output:
        started = time.perf_counter()
        process = subprocess.Popen(
            [str(part) for part in command],
            stdout=output,
            stderr=subprocess.STDOUT,
            cwd=cwd,
            env=env,
            start_new_session=True,
        )
        reaped: list[tuple[float, int, int]] = []  # when it ended, its wait status, peak bytes

        def reap() -> None:
            _, status, usage = os.wait4(process.pid, 0)
            reaped.append((time.perf_counter(), status, usage.ru_maxrss * 1024))

        waiter = threading.Thread(target=reap, daemon=True)
        waiter.start()
        waiter.join(timeout)
        finished = not waiter.is_alive()
        if not finished:
            os.killpg(process.pid, signal.SIGKILL)
            waiter.join()
        ended, status, peak = reaped[0]
        process.returncode = os.waitstatus_to_exitcode(status)
        output.seek(0)
        text = output.read().decode("utf-8", "replace")
    return Run(ended - started if finished else None, peak, process.returncode, text)


def median_wall(
    command: Sequence[str | Path], times: int, timeout: float, env: dict[str, str] | None = None
) -> float | None:
    runs = [run(command, timeout, env=env) for _ in range(times)]
    if not all(item.ok for item in runs):
        return None
    return statistics.median(item.wall for item in runs if item.wall is not None)


def run_many(
    commands: list[list[str | Path]], jobs: int, timeout: float
) -> tuple[float, list[Run]]:
    """Wall time of running every command, `jobs` at a time, and each run."""
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        runs = list(pool.map(lambda command: run(command, timeout), commands))
    return time.perf_counter() - started, runs


def machine() -> list[tuple[str, str]]:
    """What the figures were measured on."""
    model = platform.processor() or "unknown"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    memory = "unknown"
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        total_kb = int(meminfo.read_text().split("MemTotal:")[1].split()[0])
        memory = f"{total_kb / 2**20:.1f} GiB"
    system = platform.platform()
    with contextlib.suppress(OSError, KeyError, AttributeError):
        system = f"{platform.freedesktop_os_release()['PRETTY_NAME']} ({system})"
    return [
        ("CPU", model),
        ("cores", f"{len(os.sched_getaffinity(0))} usable of {os.cpu_count()}"),
        ("memory", memory),
        ("Python", f"{platform.python_version()} ({platform.python_implementation()})"),
        ("OS", system),
    ]


@dataclass
class Target:
    """One target of issue #7 and the figure measured for it."""

    what: str
    limit: float
    unit: str
    measured: float | None  # None: did not finish or could not be measured
    at_least: bool = False  # the figure must reach the limit rather than stay under it
    why_missing: str = "did not finish"

    @property
    def met(self) -> bool | None:
        if self.measured is None:
            return None
        return self.measured >= self.limit if self.at_least else self.measured <= self.limit


def figure(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit == "×":
        return f"{value:.1f}×"
    if unit == "MB":
        return f"{value:.0f} MB"
    if unit == "ms":
        return f"{value:.2f} ms" if value < 10 else f"{value:.0f} ms"
    return f"{value:.3f} s" if value < 10 else f"{value:.1f} s"


def table(targets: list[Target]) -> list[str]:
    width = max(len(target.what) for target in targets)
    lines = [f"{'target':<{width}}  {'measured':>12}  {'wanted':>10}  met"]
    for target in targets:
        wanted = ("≥ " if target.at_least else "≤ ") + figure(target.limit, target.unit)
        met = {True: "yes", False: "NO", None: f"NO ({target.why_missing})"}[target.met]
        measured = figure(target.measured, target.unit)
        lines.append(f"{target.what:<{width}}  {measured:>12}  {wanted:>10}  {met}")
    return lines
