"""Safety: no hand edit is lost to kill -9, to two builds at once, to a lost manifest, to a
copied case with a forgotten id, to a second conflict or to clean."""

from __future__ import annotations

import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from artifactgen.cli import main
from tests.conftest import CASES, ROOT, make_workspace

EPOCH = "1700000000"  # SOURCE_DATE_EPOCH: tracked changes carry the same date in every run
ARTIFACTGEN = Path(sys.executable).with_name("artifactgen")
SNAPSHOT = "output/marcus-lee/01-decision-snapshot.docx"
PLAN = "output/marcus-lee/05-14-day-action-plan.md"
DOCX_EDIT = "My own wording, polished in Word."
MD_LINE = "The first two weeks after the session, one dated step at a time."
MD_EDIT = "The first two weeks, my way: one small step a day."
# What status says about the two files the coach edited, once the case change is merged.
EDITED = [
    f"{SNAPSHOT} edited, with 1 tracked change and 0 comments by artifactgen to review",
    f"{PLAN} edited",
]
PAUSE = 2.0  # seconds a paused build holds its output folder
WRITES = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND


def env(**extra: str) -> dict[str, str]:
    return {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, **extra}


def new_project(root: Path) -> Path:
    shutil.copytree(CASES, make_workspace(root) / "cases")
    return root


def clone(source: Path, target: Path) -> Path:
    """A copy of a whole project, file times included."""
    shutil.copytree(source, target, dirs_exist_ok=True)
    return target


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A copy of the example cases, with the working directory inside it."""
    monkeypatch.chdir(new_project(tmp_path))
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    return tmp_path


def run(*args: str):
    return CliRunner().invoke(main, list(args), prog_name="artifactgen")


def artifactgen(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(ARTIFACTGEN), *args], cwd=root, env=env(), capture_output=True, text=True, timeout=60
    )


def outputs(root: Path) -> dict[str, bytes]:
    """Every file under output/ but artifactgen's own state and temporary files."""
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted((root / "output").rglob("*"))
        if path.is_file() and ".artifactgen" not in path.parts and not path.name.endswith(".tmp")
    }


def assert_valid(files: dict[str, bytes]) -> None:
    """Each DOCX a whole zip package, each Markdown file whole UTF-8 text."""
    for name, data in files.items():
        if name.endswith(".docx"):
            assert zipfile.ZipFile(io.BytesIO(data)).testzip() is None, name
        else:
            data.decode("utf-8")


def everything(folder: Path) -> dict[str, bytes]:
    """Every file under `folder`, artifactgen's own state included."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def temporaries(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in (root / "output").rglob("*.tmp"))


def not_up_to_date(result) -> list[str]:
    """Status lines, whitespace squeezed, of every file that is not up to date."""
    lines = [" ".join(line.split()) for line in result.stdout.splitlines()[:-1]]  # no summary
    return [line for line in lines if not line.endswith(" up to date")]


def edit_docx(path: Path, text: str = DOCX_EDIT, index: int = 5) -> None:
    document = docx.Document(str(path))
    document.paragraphs[index].text = text
    document.save(str(path))


def paragraphs(path: Path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs]


def inserted_text(path: Path) -> str:
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    body = docx.Document(str(path)).element
    return "".join(t.text or "" for ins in body.iter(f"{w}ins") for t in ins.iter(f"{w}t"))


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def rename_client(root: Path, old: str = "Marcus Lee", new: str = "Marcus J. Lee") -> None:
    """A case change that reaches all twelve of Marcus's files."""
    replace_in(root / "cases/marcus-lee.yaml", f"name: {old}", f"name: {new}")


# --- 1. kill -9 at any point -------------------------------------------------------------


@pytest.fixture(scope="module")
def pending(tmp_path_factory) -> Path:
    """A project built once, then a DOCX and a Markdown file edited by hand and a case changed:
    the next build has files to write, a DOCX and a Markdown file to merge into."""
    root = new_project(tmp_path_factory.mktemp("pending"))
    assert artifactgen(root, "build").returncode == 0
    edit_docx(root / SNAPSHOT)
    replace_in(root / PLAN, MD_LINE, MD_EDIT)
    rename_client(root)
    return root


@pytest.fixture(scope="module")
def built(pending, tmp_path_factory) -> tuple[dict[str, bytes], float]:
    """Every output file as one uninterrupted build leaves it, and how long that build took."""
    root = clone(pending, tmp_path_factory.mktemp("built"))
    started = time.monotonic()
    result = artifactgen(root, "build")
    took = time.monotonic() - started
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"merged {SNAPSHOT}: 1 tracked change to review",
        f"merged {PLAN}: 1 change from the case applied",
        "3 cases built: 11 files written, 28 unchanged, 2 merged into edited files",
    ]
    files = outputs(root)
    assert DOCX_EDIT in paragraphs(root / SNAPSHOT)
    assert MD_EDIT in files[PLAN].decode("utf-8")
    return files, took


def hooked_build(stop: str, action: str, log: str, args: list[str]) -> None:
    """In a child process: run artifactgen, and just before its STOP-th change under output/,
    or its first change to a path containing STOP, SIGKILL itself (`kill`), or say so in
    LOG.paused and sleep PAUSE seconds (`pause`). A change is opening a file for writing, the
    first write into it, a rename or link, a removal or a new folder. The changes go to LOG as
    JSON when the build ends."""
    out = os.path.abspath("output")
    changes: list[str] = []
    opened: list[str] = []
    stopped: list[bool] = []

    def change(kind: str, path: object) -> bool:
        if not isinstance(path, (str, bytes, os.PathLike)):
            return False
        where = os.path.abspath(os.fsdecode(path))
        if where != out and not where.startswith(out + os.sep):
            return False
        changes.append(f"{kind} {os.path.relpath(where)}")
        here = str(len(changes)) == stop if stop.isdigit() else stop in changes[-1]
        if here and not stopped:
            stopped.append(True)
            if action == "kill":
                os.kill(os.getpid(), signal.SIGKILL)
            Path(f"{log}.paused").touch()
            time.sleep(PAUSE)
        return True

    def profile(frame, event, arg):  # on only between an open for writing and its first write
        if event != "c_call" or arg.__name__ != "write":
            return
        name = getattr(getattr(arg, "__self__", None), "name", None)
        if name is opened[0] or arg is os.write:  # os.write: into what os.open just opened
            sys.setprofile(None)
            change("write", opened[0])

    def audit(event: str, details: tuple) -> None:
        if event == "open" and isinstance(details[2], int) and details[2] & WRITES:
            if change("open", details[0]):
                opened[:] = [details[0]]
                sys.setprofile(profile)
        elif event in ("os.rename", "os.link"):  # os.replace is an os.rename event too
            change(event.split(".")[1], details[1])
        elif event in ("os.remove", "os.rmdir", "os.mkdir", "os.truncate", "shutil.rmtree"):
            change(event.split(".")[1], details[0])

    sys.addaudithook(audit)
    try:
        main(args, prog_name="artifactgen")
    finally:
        Path(log).write_text(json.dumps(changes), encoding="utf-8")


def start_hooked_build(
    root: Path, stop: int | str, log: Path, action: str = "kill"
) -> subprocess.Popen[str]:
    code = (
        "import sys; from tests.test_safety import hooked_build; "
        "hooked_build(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:])"
    )
    # One job: the hook sees (and stops) only its own process, not worker processes.
    return subprocess.Popen(
        [sys.executable, "-c", code, str(stop), action, str(log), "build", "--jobs", "1"],
        cwd=root,
        env=env(PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def first(changes: list[str], kind: str, name: str, after: int = 0) -> int:
    """The number (from 1) of the first change of KIND to a path with NAME in it, after AFTER."""
    for number, item in enumerate(changes, 1):
        if number > after and item.startswith(f"{kind} ") and name in item:
            return number
    raise AssertionError(f"no {kind} of {name} after change {after} in {changes}")


def test_a_build_killed_at_any_point_leaves_old_or_new_files_and_recovers(
    pending, built, tmp_path, monkeypatch
):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    before = outputs(pending)
    after, took = built
    assert_valid(before)
    assert_valid(after)  # so every file equal to one of them is valid too
    # One uninterrupted run through the hook lists the changes a build makes, in order.
    log = tmp_path / "changes.json"
    counted = start_hooked_build(clone(pending, tmp_path / "counted"), 0, log)
    assert counted.wait(60) == 0, counted.communicate()
    changes = json.loads(log.read_text(encoding="utf-8"))
    assert outputs(tmp_path / "counted") == after
    merged_docx = first(changes, "rename", SNAPSHOT)
    merged_markdown = first(changes, "rename", PLAN)
    rewritten = first(changes, "rename", "02-fork-recommendation.md")
    points = {
        "before the merged DOCX is written": first(changes, "write", "01-decision-snapshot.docx"),
        "before the merged DOCX replaces the edited one": merged_docx,
        "just after the merged DOCX replaced the edited one": merged_docx + 1,
        "while the manifest is saved": first(changes, "rename", "manifest.json", merged_docx),
        "just after the merged Markdown replaced the edited one": merged_markdown + 1,
        "just after a stale file was rewritten": rewritten + 1,
        "while a base is stored": first(changes, "rename", "/objects/"),
    }
    roots = {}
    children = {}
    for number, (moment, kill_at) in enumerate(points.items()):
        roots[moment] = clone(pending, tmp_path / f"at-{number}")
        children[moment] = start_hooked_build(roots[moment], kill_at, tmp_path / "unused.json")
    for moment, child in children.items():
        said = child.communicate(timeout=60)
        assert child.returncode == -signal.SIGKILL, (moment, said)
    # And the real command, killed from outside at a spread of moments.
    for fraction in (0.35, 0.6, 0.85):
        moment = f"{fraction:.0%} into the build"
        roots[moment] = clone(pending, tmp_path / f"after-{fraction}")
        process = subprocess.Popen([str(ARTIFACTGEN), "build"], cwd=roots[moment], env=env())
        time.sleep(took * fraction)
        process.kill()
        process.wait(60)

    for moment, root in roots.items():
        left = outputs(root)
        assert set(before) <= set(left), moment
        for name, data in left.items():
            assert data in (before.get(name), after.get(name)), f"{moment}: {name} is neither"
        monkeypatch.chdir(root)
        result = run("build")
        assert result.exit_code == 0, (moment, result.output)
        assert temporaries(root) == [], moment
        assert not_up_to_date(run("status")) == EDITED, moment
        assert outputs(root) == after, moment
        assert DOCX_EDIT in paragraphs(root / SNAPSHOT), moment
        assert MD_EDIT in (root / PLAN).read_text(encoding="utf-8"), moment


# --- 2. two builds at once -----------------------------------------------------------------


def test_two_builds_into_one_folder_at_once_take_turns(pending, built, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    root = clone(pending, tmp_path / "p")
    # The first build stops for a while inside Marcus's folder; the second starts meanwhile.
    log = tmp_path / "first.json"
    first_build = start_hooked_build(root, "output/marcus-lee/.artifactgen/objects/", log, "pause")
    while not Path(f"{log}.paused").exists() and first_build.poll() is None:
        time.sleep(0.02)
    second_build = subprocess.Popen(
        [str(ARTIFACTGEN), "build"], cwd=root, env=env(), stdout=subprocess.PIPE, text=True
    )
    first_said, _ = first_build.communicate(timeout=60)
    second_said, _ = second_build.communicate(timeout=60)
    assert (first_build.returncode, second_build.returncode) == (0, 0)
    # The second waited for the first: it found the merges done, and did none of its own.
    assert first_said == (
        f"merged {SNAPSHOT}: 1 tracked change to review\n"
        f"merged {PLAN}: 1 change from the case applied\n"
        "3 cases built: 11 files written, 28 unchanged, 2 merged into edited files\n"
    )
    assert second_said == (
        "3 cases built: 0 files written, 39 unchanged, 2 edited and already up to date\n"
    )
    assert outputs(root) == built[0]
    assert temporaries(root) == []
    monkeypatch.chdir(root)
    assert not_up_to_date(run("status")) == EDITED
    assert DOCX_EDIT in paragraphs(root / SNAPSHOT)

    # Two plain builds started together: one merges, the other finds the merges done.
    root = clone(pending, tmp_path / "q")
    both = [
        subprocess.Popen(
            [str(ARTIFACTGEN), "build"], cwd=root, env=env(), stdout=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    said = sorted(process.communicate(timeout=60)[0] for process in both)
    assert [process.returncode for process in both] == [0, 0]
    assert said == [second_said, first_said]
    assert outputs(root) == built[0]
    assert temporaries(root) == []


# --- 3. a lost or damaged manifest ----------------------------------------------------------

MANIFEST = "output/marcus-lee/.artifactgen/manifest.json"
ROADMAP = "output/marcus-lee/06-30-day-roadmap.docx"


def lose(path: Path, damage: str) -> None:
    if damage == "missing":
        path.unlink()
    elif damage == "garbage":
        path.write_bytes(b'{"version": 2, "files": {"01-decision-snapshot.docx": \x00\xff')
    else:  # written by an older artifactgen
        data = json.loads(path.read_text(encoding="utf-8"))
        path.write_text(json.dumps({**data, "version": 1}), encoding="utf-8")


def rebuilt(damage: str) -> str:
    problem = "missing" if damage == "missing" else "damaged"
    return (
        f"{MANIFEST} was {problem}; rebuilt it from the documents and the bases stored beside them"
    )


@pytest.mark.parametrize("damage", ["missing", "garbage", "old version"])
def test_a_lost_manifest_is_rebuilt_from_the_documents_and_the_bases(project, damage):
    assert run("build", "cases/marcus-lee.yaml").exit_code == 0
    edit_docx(project / SNAPSHOT)
    edited = (project / SNAPSHOT).read_bytes()
    lose(project / MANIFEST, damage)

    result = run("build", "cases/marcus-lee.yaml")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.splitlines() == [
        rebuilt(damage),
        "1 case built: 0 files written, 12 unchanged, 1 edited and already up to date",
    ]
    assert (project / SNAPSHOT).read_bytes() == edited
    assert not_up_to_date(run("status", "cases/marcus-lee.yaml")) == [f"{SNAPSHOT} edited"]
    again = run("build", "cases/marcus-lee.yaml")  # reported once, not on every build
    assert again.stdout == (
        "1 case built: 0 files written, 12 unchanged, 1 edited and already up to date\n"
    )

    rename_client(project)
    result = run("build", "cases/marcus-lee.yaml")
    assert result.stdout.splitlines() == [
        f"merged {SNAPSHOT}: 1 tracked change to review",
        "1 case built: 12 files written, 0 unchanged, 1 merged into edited files",
    ]
    assert DOCX_EDIT in paragraphs(project / SNAPSHOT)
    assert "J." in inserted_text(project / SNAPSHOT)
    assert "Marcus J. Lee" in (project / PLAN).read_text(encoding="utf-8")
    assert "Marcus J. Lee" in "\n".join(paragraphs(project / ROADMAP))
    lines = not_up_to_date(run("status", "cases/marcus-lee.yaml"))
    assert lines == [EDITED[0]]


@pytest.mark.parametrize("damage", ["missing", "garbage", "old version"])
def test_unedited_markdown_stays_up_to_date_after_a_lost_manifest(project, damage):
    assert run("build", "--format", "md", "cases/marcus-lee.yaml").exit_code == 0
    before = outputs(project)
    lose(project / MANIFEST, damage)

    result = run("build", "--format", "md", "cases/marcus-lee.yaml")
    assert (result.exit_code, result.stderr) == (0, "")
    assert result.stdout.splitlines() == [
        rebuilt(damage),
        "1 case built: 0 files written, 7 unchanged",
    ]
    assert outputs(project) == before
    status = not_up_to_date(run("status", "cases/marcus-lee.yaml"))
    assert [line for line in status if ".md " in line] == []

    rename_client(project)
    result = run("build", "--format", "md", "cases/marcus-lee.yaml")
    assert result.stdout == "1 case built: 7 files written, 0 unchanged\n"


def test_an_edited_markdown_file_is_still_merged_into_after_a_lost_manifest(project):
    assert run("build", "--format", "md", "cases/marcus-lee.yaml").exit_code == 0
    replace_in(project / PLAN, MD_LINE, MD_EDIT)
    edited = (project / PLAN).read_bytes()
    lose(project / MANIFEST, "missing")

    result = run("build", "--format", "md", "cases/marcus-lee.yaml")
    assert result.stdout.splitlines() == [
        rebuilt("missing"),
        "1 case built: 0 files written, 6 unchanged, 1 edited and already up to date",
    ]
    assert (project / PLAN).read_bytes() == edited
    status = not_up_to_date(run("status", "cases/marcus-lee.yaml"))
    assert [line for line in status if ".md" in line] == [f"{PLAN} edited"]

    rename_client(project)
    result = run("build", "--format", "md", "cases/marcus-lee.yaml")
    assert result.stdout.splitlines() == [
        f"merged {PLAN}: 1 change from the case applied",
        "1 case built: 6 files written, 0 unchanged, 1 merged into edited files",
    ]
    text = (project / PLAN).read_text(encoding="utf-8")
    assert MD_EDIT in text
    assert "Marcus J. Lee" in text


# --- 4. one id, two case files --------------------------------------------------------------


def test_two_case_files_with_one_id_are_refused_at_the_id_line(project):
    marcus = (project / "cases/marcus-lee.yaml").read_text(encoding="utf-8")
    copy = marcus.replace("name: Marcus Lee", "name: Jordan Smith")  # id: marcus-lee, line 3
    (project / "cases/zz-copy.yaml").write_text(copy, encoding="utf-8")
    shutil.copy(project / "cases/tomas-berg.yaml", project / "cases/tomas-berg.yml")  # no id:
    (project / "other").mkdir()
    shutil.copy(project / "cases/priya-shah.yaml", project / "other/priya-shah.yaml")
    refused = (
        "cases/tomas-berg.yml:1:1: case id 'tomas-berg' is already used by "
        "cases/tomas-berg.yaml; give this case its own `id:`\n"
        "cases/zz-copy.yaml:3:5: case id 'marcus-lee' is already used by "
        "cases/marcus-lee.yaml; give this case its own `id:`\n"
        "other/priya-shah.yaml:1:1: case id 'priya-shah' is already used by "
        "cases/priya-shah.yaml; give this case its own `id:`\n"
    )
    result = run("validate", "cases", "other/priya-shah.yaml")
    assert (result.exit_code, result.stderr) == (1, refused)
    assert result.stdout == "6 case files checked: 3 valid, 3 with 3 problems\n"
    result = run("build", "cases", "other/priya-shah.yaml")
    assert (result.exit_code, result.stderr) == (1, refused)
    assert result.stdout == "3 cases built: 41 files written, 0 unchanged; 3 cases failed\n"
    assert "Jordan Smith" not in (project / "output/marcus-lee/01-decision-snapshot.md").read_text(
        encoding="utf-8"
    )


def copy_for_another_client(project: Path) -> Path:
    """cases/marcus-lee.yaml copied for a new client, its `id: marcus-lee` left in."""
    text = (project / "cases/marcus-lee.yaml").read_text(encoding="utf-8")
    copy = project / "cases/jordan-smith.yaml"
    copy.write_text(text.replace("name: Marcus Lee", "name: Jordan Smith"), encoding="utf-8")
    return copy


def test_a_copied_case_with_a_forgotten_id_never_writes_into_the_other_clients_folder(project):
    assert run("build", "cases/marcus-lee.yaml").exit_code == 0
    edit_docx(project / SNAPSHOT)
    before = everything(project / "output/marcus-lee")
    copy_for_another_client(project)

    result = run("build", "cases/jordan-smith.yaml")
    assert (result.exit_code, result.stderr) == (
        1,
        "cases/jordan-smith.yaml:3:5: output/marcus-lee holds the documents of "
        "cases/marcus-lee.yaml; give this case its own `id:`\n",
    )
    assert result.stdout == "0 cases built: 0 files written, 0 unchanged; 1 case failed\n"
    assert everything(project / "output/marcus-lee") == before

    # The original renamed: its new path is accepted, and the copy is still refused.
    (project / "cases/marcus-lee.yaml").rename(project / "cases/marcus.yaml")
    result = run("build", "cases/marcus.yaml")
    assert (result.exit_code, result.stdout) == (
        0,
        "1 case built: 0 files written, 12 unchanged, 1 edited and already up to date\n",
    )
    again = everything(project / "output/marcus-lee")
    result = run("build", "cases/jordan-smith.yaml")
    assert (result.exit_code, result.stderr) == (
        1,
        "cases/jordan-smith.yaml:3:5: output/marcus-lee holds the documents of "
        "cases/marcus.yaml; give this case its own `id:`\n",
    )
    assert everything(project / "output/marcus-lee") == again
    assert DOCX_EDIT in paragraphs(project / SNAPSHOT)
    assert "Jordan Smith" not in (project / PLAN).read_text(encoding="utf-8")


def test_a_copied_case_is_refused_even_after_the_original_moved_away(project):
    assert run("build", "cases/marcus-lee.yaml").exit_code == 0
    copy_for_another_client(project)
    (project / "archive").mkdir()
    (project / "cases/marcus-lee.yaml").rename(project / "archive/marcus-lee.yaml")
    before = everything(project / "output/marcus-lee")

    result = run("build", "cases/jordan-smith.yaml")
    assert result.exit_code == 1
    assert result.stderr.startswith("cases/jordan-smith.yaml:3:5: output/marcus-lee holds ")
    assert everything(project / "output/marcus-lee") == before
    # The moved original itself is still accepted at its new path.
    assert run("build", "archive/marcus-lee.yaml").exit_code == 0


# --- 5. an edited NAME.new.* ------------------------------------------------------------------

SNAPSHOT_MD = "output/marcus-lee/01-decision-snapshot.md"


def change_question(project: Path, old: str, new: str) -> None:
    replace_in(project / "cases/marcus-lee.yaml", f"question: {old}", f"question: {new}")


def test_an_edited_new_file_is_never_overwritten(project):
    assert run("build", "--format", "md", "cases/marcus-lee.yaml").exit_code == 0
    replace_in(project / SNAPSHOT_MD, "Keep pushing for the VP", "Push for the VP")
    change_question(project, "Keep pushing", "Keep on pushing")
    first_new = project / "output/marcus-lee/01-decision-snapshot.new.md"
    second_new = project / "output/marcus-lee/01-decision-snapshot.new-2.md"
    conflict = (
        f'merged {SNAPSHOT_MD}: a conflict under "The decision in front of you"; '
        "your lines are kept, the case's version is "
    )
    result = run("build", "--format", "md", "cases/marcus-lee.yaml")
    assert result.stdout.splitlines()[0] == conflict + str(first_new.relative_to(project))
    first_new.write_text(
        first_new.read_text(encoding="utf-8") + "My notes on the case's version.\n",
        encoding="utf-8",
    )
    edited_new = first_new.read_bytes()

    change_question(project, "Keep on pushing", "Keep right on pushing")
    result = run("build", "--format", "md", "cases/marcus-lee.yaml")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        conflict + str(second_new.relative_to(project)),
        "1 case built: 0 files written, 6 unchanged, 1 merged into edited files",
    ]
    assert first_new.read_bytes() == edited_new
    assert "Keep right on pushing" in second_new.read_text(encoding="utf-8")
    assert "Push for the VP" in (project / SNAPSHOT_MD).read_text(encoding="utf-8")
    status = not_up_to_date(run("status", "cases/marcus-lee.yaml"))
    assert [line for line in status if ".md " in line] == [
        f"{SNAPSHOT_MD} edited",
        f"{second_new.relative_to(project)} the case's version, beside an edited file",
        f"{first_new.relative_to(project)} the case's version, beside an edited file "
        "(edited since)",
    ]

    # An untouched NAME.new-2.md is the case's to replace; the edited one stays as it is.
    change_question(project, "Keep right on pushing", "Keep pushing hard")
    result = run("build", "--format", "md", "cases/marcus-lee.yaml")
    assert result.stdout.splitlines()[0] == conflict + str(second_new.relative_to(project))
    assert "Keep pushing hard" in second_new.read_text(encoding="utf-8")
    assert first_new.read_bytes() == edited_new
    assert not (project / "output/marcus-lee/01-decision-snapshot.new-3.md").exists()


# --- 6. clean ---------------------------------------------------------------------------------


def test_clean_keeps_every_edit_and_removes_stray_temporary_files(project):
    folder = project / "output/marcus-lee"
    assert run("build", "cases/marcus-lee.yaml").exit_code == 0
    edit_docx(folder / "04-conversation-scripts.docx", "Replaced with --force.")
    assert run("build", "--force", "cases/marcus-lee.yaml").exit_code == 0
    edit_docx(project / SNAPSHOT)
    replace_in(project / SNAPSHOT_MD, "Keep pushing for the VP", "Push for the VP")
    change_question(project, "Keep pushing", "Keep on pushing")
    assert run("build", "cases/marcus-lee.yaml").exit_code == 0
    kept = [
        "01-decision-snapshot.docx",  # edited, with a tracked change
        "01-decision-snapshot.md",  # edited, with a conflict
        "01-decision-snapshot.new.md",  # the case's side of that conflict
        "04-conversation-scripts.backup.docx",  # what --force replaced
    ]
    before = {name: (folder / name).read_bytes() for name in kept}
    stray = [
        folder / ".01-decision-snapshot.docx.1234.tmp",
        folder / ".artifactgen/objects/.x.tmp",
        folder / ".artifactgen/.manifest.json.1234.tmp",
    ]
    for path in stray:
        path.write_bytes(b"half-written")

    result = run("clean")
    assert result.exit_code == 0
    assert sorted(result.stdout.splitlines()) == sorted(
        [f"kept output/marcus-lee/{name}" for name in kept] + ["removed 11 files, kept 4"]
    )
    assert sorted(p.name for p in folder.iterdir()) == [".artifactgen", *kept]
    assert {name: (folder / name).read_bytes() for name in kept} == before
    assert temporaries(project) == []
    # What clean left is still known for what it is.
    result = run("build", "cases/marcus-lee.yaml")
    assert result.stdout == (
        "1 case built: 11 files written, 0 unchanged, 2 edited and already up to date\n"
    )
