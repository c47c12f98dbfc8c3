"""Accept or reject all tracked changes of DOCX files in headless LibreOffice; print the text."""

# Runs under a Python that can `import uno` (Debian: /usr/bin/python3 with python3-uno), not the
# project venv. Usage: lo_review.py accept|reject|none IN.docx [...] [--out DIR] [--timeout S].

from __future__ import annotations

import argparse
import contextlib
import hashlib
import itertools
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path
from typing import Any

import uno
from com.sun.star.beans import PropertyValue
from com.sun.star.connection import NoConnectException

COMMANDS = {
    "accept": ".uno:AcceptAllTrackedChanges",
    "reject": ".uno:RejectAllTrackedChanges",
    "none": None,
}
ANNOTATION = "com.sun.star.text.textfield.Annotation"
WORD_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
# The -nogui packages lack Writer's .ui files; a view of a commented document then crashes soffice.
ANNOTATION_UI = "share/config/soffice.cfg/modules/swriter/ui/annotation.ui"
COLUMN_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def props(**values: Any) -> tuple[PropertyValue, ...]:
    return tuple(PropertyValue(Name=name, Value=value) for name, value in values.items())


def can_show_comments(soffice: str) -> bool:
    program = Path(shutil.which(soffice) or soffice).resolve().parent
    return (program.parent / ANNOTATION_UI).is_file()


def strip_comments(source: Path, target: Path) -> int:
    """Copy a DOCX without its comment anchors; return how many comments were anchored."""
    ids: set[str] = set()
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            data = old.read(info)
            name = info.filename
            if name.startswith("word/") and name.endswith(".xml") and b"commentR" in data:
                text = data.decode("utf-8")
                prefix = re.search(rf'xmlns:(\w+)="{re.escape(WORD_NS)}"', text)
                if prefix and not name.startswith("word/comments"):
                    p = prefix.group(1)
                    anchor = rf"<{p}:(commentRangeStart|commentRangeEnd|commentReference)\b([^>]*?)"
                    pattern = re.compile(rf"{anchor}(?:/>|>\s*</{p}:\1>)")
                    for match in pattern.finditer(text):
                        ids.update(re.findall(rf'{p}:id="([^"]*)"', match[2]))
                    data = pattern.sub("", text).encode("utf-8")
            new.writestr(info, data)
    return len(ids)


def cell_position(name: str) -> tuple[int, int]:
    """Row and column of a Writer cell name: "B3" -> (2, 1); a split cell "B3.1.2" counts as B3."""
    match = re.match(r"([A-Za-z]+)(\d+)", name)
    if not match:
        raise ValueError(f"unexpected cell name {name!r}")
    column = 0
    for letter in match.group(1):
        column = column * len(COLUMN_LETTERS) + COLUMN_LETTERS.index(letter) + 1
    return int(match.group(2)) - 1, column - 1


def blocks_of(document: Any) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = []
    tables = 0
    enumeration = document.getText().createEnumeration()
    while enumeration.hasMoreElements():
        element = enumeration.nextElement()
        if element.supportsService("com.sun.star.text.TextTable"):
            for position, name in sorted((cell_position(n), n) for n in element.getCellNames()):
                text = element.getCellByName(name).getString()
                blocks.append({"cell": [tables, *position, text]})
            tables += 1
        elif element.supportsService("com.sun.star.text.Paragraph"):
            blocks.append({"p": element.getString()})
    return blocks


def count(container: Any, service: str | None = None) -> int:
    found = 0
    enumeration = container.createEnumeration()
    while enumeration.hasMoreElements():
        element = enumeration.nextElement()
        found += service is None or element.supportsService(service)
    return found


class Office:
    """A private soffice process reached through a named pipe, killed with its process group."""

    def __init__(self, soffice: str, startup_timeout: float, attempts: int = 3) -> None:
        self.soffice = soffice
        self.startup_timeout = startup_timeout
        self.attempts = attempts
        self.scratch = Path(tempfile.mkdtemp(prefix="lo-review-"))
        self.process: subprocess.Popen[bytes] | None = None
        self.context: Any = None
        self.lock = threading.Lock()
        self.closed = False
        self.log: Path | None = None
        self.current: Path | None = None
        self.pipes: list[str] = []

    def start(self) -> None:
        problems = []
        for attempt in range(self.attempts):
            pipe = f"lo_review_{os.getpid()}_{secrets.token_hex(6)}"
            profile = (self.scratch / f"profile{attempt}").as_uri()
            log = self.log = self.scratch / f"soffice{attempt}.log"
            digest = hashlib.md5(profile.encode("utf-16-le")).digest()
            self.pipes = [pipe, "SingleOfficeIPC_" + "".join(f"{byte:x}" for byte in digest)]
            with self.lock, log.open("wb") as sink:
                if self.closed:
                    raise RuntimeError("closed before soffice started")
                self.process = subprocess.Popen(
                    [self.soffice, f"-env:UserInstallation={profile}", "--headless",
                     "--invisible", "--nologo", "--nodefault", "--norestore", "--nolockcheck",
                     f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext"],
                    stdin=subprocess.DEVNULL, stdout=sink, stderr=sink, start_new_session=True,
                )  # fmt: skip
            self.context = self.connect(pipe)
            if self.context is not None:
                return
            self.kill()
            problems.append(log.read_text(errors="replace").strip()[-500:] or "no output")
        raise RuntimeError(f"soffice did not start in {self.attempts} attempts: {problems}")

    def connect(self, pipe: str) -> Any:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext(
            "com.sun.star.bridge.UnoUrlResolver", local
        )
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline and self.process and self.process.poll() is None:
            try:
                return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
            except NoConnectException:
                time.sleep(0.05)
        return None

    def create(self, service: str) -> Any:
        return self.context.ServiceManager.createInstanceWithContext(service, self.context)

    def review(self, path: Path, mode: str, strip: bool, out_dir: Path | None) -> dict[str, Any]:
        self.current = path
        copy = Path(tempfile.mkdtemp(dir=self.scratch)) / path.name
        if strip:
            stripped = strip_comments(path, copy)
        else:
            stripped = 0
            shutil.copyfile(path, copy)
        document = self.create("com.sun.star.frame.Desktop").loadComponentFromURL(
            copy.as_uri(), "_blank", 0, props(Hidden=True, MacroExecutionMode=0)
        )
        if document is None:
            raise RuntimeError(f"LibreOffice could not load {path}")
        try:
            if COMMANDS[mode]:
                frame = document.getCurrentController().getFrame()
                helper = self.create("com.sun.star.frame.DispatchHelper")
                helper.executeDispatch(frame, COMMANDS[mode], "", 0, ())
            stored = None
            if out_dir is not None:
                stored = out_dir / f"{path.stem}.{mode}.docx"
                document.storeToURL(
                    stored.resolve().as_uri(),
                    props(FilterName="MS Word 2007 XML", Overwrite=True),
                )
            return {
                "path": str(path),
                "blocks": blocks_of(document),
                "redlines": count(document.getRedlines()),
                "comments": count(document.getTextFields(), ANNOTATION),
                "stripped_comments": stripped,
                "stored": None if stored is None else str(stored),
            }
        finally:
            document.close(True)

    def death(self) -> str:
        """Why soffice is gone, if it is: its exit status and its own last words."""
        process = self.process
        if process is None or self.log is None:
            return ""
        try:
            status = process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            return ""
        lines = self.log.read_text(errors="replace").splitlines()
        said = " | ".join(line for line in lines if line.strip() and not line.startswith("/"))
        return f"; soffice died (exit {status}) on {self.current}: {said[-400:]}"

    def terminate(self) -> None:
        with contextlib.suppress(Exception):  # the bridge drops while soffice quits
            self.create("com.sun.star.frame.Desktop").terminate()

    def kill(self) -> None:
        with self.lock:
            process, self.process = self.process, None
        if process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()
        for folder, pipe in itertools.product(["/tmp", "/var/tmp"], self.pipes):
            Path(folder, f"OSL_PIPE_{os.getuid()}_{pipe}").unlink(missing_ok=True)

    def close(self, wait: float) -> None:
        with self.lock:
            self.closed = True
            process = self.process
        if process is not None and wait:
            with contextlib.suppress(subprocess.TimeoutExpired):
                process.wait(timeout=wait)
        self.kill()
        shutil.rmtree(self.scratch, ignore_errors=True)


def work(office: Office, args: argparse.Namespace, result: dict[str, Any]) -> None:
    try:
        office.start()
        strip = {"always": True, "never": False}.get(
            args.strip_comments, not can_show_comments(args.soffice)
        )
        result["reviews"] = [office.review(path, args.mode, strip, args.out) for path in args.files]
        office.terminate()
    except BaseException as error:
        result["error"] = f"{type(error).__name__}: {error}{office.death()}"


def interrupt(signum: int, frame: Any) -> None:
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("mode", choices=sorted(COMMANDS))
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--out", type=Path, help="also store each result in DIR as STEM.MODE.docx")
    parser.add_argument("--soffice", default=shutil.which("soffice") or "soffice")
    parser.add_argument("--timeout", type=float, default=120, help="seconds for the whole call")
    parser.add_argument(
        "--strip-comments",
        choices=["auto", "always", "never"],
        default="auto",
        help="remove comment anchors before loading (auto: when Writer's .ui files are missing)",
    )
    args = parser.parse_args(argv)
    for path in args.files:
        if not path.is_file():
            parser.error(f"no such file: {path}")
    if len({path.stem for path in args.files}) < len(args.files) and args.out:
        parser.error("--out needs distinct file names")
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, interrupt)

    started = time.monotonic()
    office = Office(args.soffice, startup_timeout=min(60.0, args.timeout))
    result: dict[str, Any] = {}
    worker = threading.Thread(target=work, args=(office, args, result), daemon=True)
    timed_out = True
    try:
        worker.start()
        worker.join(args.timeout)
        timed_out = worker.is_alive()
    finally:
        office.close(wait=0 if timed_out else 10)
    if timed_out:
        print(f"lo_review: timed out after {args.timeout:g} s", file=sys.stderr)
        return 3
    if "error" in result:
        print(f"lo_review: {result['error']}", file=sys.stderr)
        return 2
    result["seconds"] = round(time.monotonic() - started, 2)
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
