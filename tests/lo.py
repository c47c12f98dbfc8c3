"""Run tests/lo_review.py under a UNO-capable Python: LibreOffice's view of tracked changes."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

SCRIPT = Path(__file__).with_name("lo_review.py")
SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def find_uno_python() -> str | None:
    """A Python that can `import uno`: $UNO_PYTHON, /usr/bin/python3, then python3 on PATH."""
    candidates = [os.environ.get("UNO_PYTHON"), "/usr/bin/python3", shutil.which("python3")]
    for candidate in dict.fromkeys(c for c in candidates if c):
        try:
            probe = subprocess.run(
                [candidate, "-c", "import uno"], capture_output=True, timeout=30, check=False
            )
        except (OSError, subprocess.TimeoutExpired):
            continue
        if probe.returncode == 0:
            return candidate
    return None


def shows_comments() -> bool:
    """Whether this LibreOffice survives loading a commented DOCX (-nogui packages do not)."""
    if SOFFICE is None:
        return False
    program = Path(SOFFICE).resolve().parent
    return (program.parent / "share/config/soffice.cfg/modules/swriter/ui/annotation.ui").is_file()


UNO_PYTHON = find_uno_python()
needs_uno = pytest.mark.skipif(
    SOFFICE is None or UNO_PYTHON is None,
    reason="needs LibreOffice (soffice) and a Python with its UNO bridge (python3-uno)",
)


class LibreOfficeError(RuntimeError):
    """lo_review.py failed, timed out or printed no result."""


@dataclass(frozen=True)
class Block:
    """A body paragraph, or a table cell when `cell` is (table, row, column), counted from 0."""

    text: str
    cell: tuple[int, int, int] | None = None


@dataclass(frozen=True)
class Review:
    """One document after Accept All / Reject All (or as loaded, for mode "none")."""

    path: Path
    blocks: list[Block]
    redlines: int
    comments: int
    stripped_comments: int
    stored: Path | None

    @property
    def texts(self) -> list[str]:
        return [block.text for block in self.blocks]

    @property
    def paragraphs(self) -> list[str]:
        return [block.text for block in self.blocks if block.cell is None]

    def table(self, index: int = 0) -> list[list[str]]:
        rows: dict[int, list[str]] = {}
        for block in self.blocks:
            if block.cell is not None and block.cell[0] == index:
                rows.setdefault(block.cell[1], []).append(block.text)
        return [rows[row] for row in sorted(rows)]


def review(
    paths: list[Path],
    mode: str,
    out_dir: Path | None = None,
    timeout: float = 120,
    strip_comments: str = "auto",
) -> list[Review]:
    """LibreOffice's text of each DOCX after `mode` ("accept", "reject" or "none"), in order."""
    if UNO_PYTHON is None or SOFFICE is None:
        raise LibreOfficeError("LibreOffice or a UNO-capable Python is missing")
    command = [UNO_PYTHON, str(SCRIPT), mode, *map(str, paths), "--soffice", SOFFICE]
    command += ["--timeout", str(timeout), "--strip-comments", strip_comments]
    if out_dir is not None:
        command += ["--out", str(out_dir)]
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8"
    ) as process:
        try:
            stdout, stderr = process.communicate(timeout=timeout + 30)
        except subprocess.TimeoutExpired:
            process.send_signal(signal.SIGTERM)  # lets the script kill its soffice
            try:
                process.communicate(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
            raise LibreOfficeError(f"lo_review.py did not finish in {timeout + 30:g} s") from None
    lines = stdout.strip().splitlines()
    if process.returncode != 0 or not lines:
        raise LibreOfficeError(f"lo_review.py exited {process.returncode}: {stderr.strip()}")
    return [
        Review(
            path=Path(item["path"]),
            blocks=[block_of(entry) for entry in item["blocks"]],
            redlines=item["redlines"],
            comments=item["comments"],
            stripped_comments=item["stripped_comments"],
            stored=None if item["stored"] is None else Path(item["stored"]),
        )
        for item in json.loads(lines[-1])["reviews"]
    ]


def block_of(entry: dict[str, Any]) -> Block:
    if "p" in entry:
        return Block(entry["p"])
    table, row, column, text = entry["cell"]
    return Block(text, (table, row, column))
