"""Merging case changes into hand-edited Word files: the decision table on real documents."""

from __future__ import annotations

import copy
import datetime as dt
import shutil
from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_COLOR_INDEX
from docx.text.paragraph import Paragraph

from artifactgen.build import Settings, build
from artifactgen.docx_merge import ConflictKind, revert_own
from artifactgen.outcomes import Action
from artifactgen.package import Package
from artifactgen.wordml import paragraph_text, read_blocks, w
from tests.coach_edits import rewrite_paragraph
from tests.conftest import CASES
from tests.helpers import schema_errors

WHEN = dt.datetime(2026, 11, 22, 9, 30, tzinfo=dt.timezone.utc)
PLAN = "05-14-day-action-plan.docx"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copy(CASES / "marcus-lee.yaml", tmp_path / "marcus-lee.yaml")
    return tmp_path


def rebuild(project: Path, when: dt.datetime = WHEN):
    settings = Settings(out_dir=project / "output")
    report = build([project / "marcus-lee.yaml"], settings, when=when)
    assert not report.failed, report.failed[0].problems
    return {item.path.name: item for item in report.cases[0].files}


def change_case(project: Path, old: str, new: str) -> None:
    path = project / "marcus-lee.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def output(project: Path, name: str = PLAN) -> Path:
    return project / "output" / "marcus-lee" / name


def body(path: Path):
    package = Package.open(path.read_bytes())
    return package, package.xml(package.main)


def own(root, kind: str) -> list:
    return [e for e in root.iter(w(kind)) if e.get(w("author")) == "artifactgen"]


def texts(root) -> list[str]:
    return [b.text for b in read_blocks(root) if hasattr(b, "style")]


def rejected(root):
    """The document with artifactgen's revisions rejected (the coach's text)."""
    revert_own(root)
    return root


def test_untouched_paragraph_gets_a_word_level_tracked_replacement(project):
    rebuild(project)
    rewrite_paragraph(output(project), "These become the backbone", "My own note on day 2.")
    change_case(project, "for next week.", "for Tuesday next week.")
    outcome = rebuild(project)[PLAN]
    assert outcome.action is Action.MERGED and outcome.conflicts == []
    _, root = body(output(project))
    inserted = own(root, "ins")
    assert [paragraph_text(i) for i in inserted] == ["Tuesday ", "Tuesday "]  # cell + step
    assert all(i.get(w("date")) == "2026-11-22T09:30:00Z" for i in inserted)
    assert own(root, "del") == []
    assert "Book a one-to-one with his manager for Tuesday next week." in texts(root)
    assert "My own note on day 2." in texts(root)  # the coach's edit stays


def test_new_step_is_a_tracked_row_and_tracked_paragraphs(project):
    rebuild(project)
    rewrite_paragraph(output(project), "These become the backbone", "My own note on day 2.")
    change_case(
        project,
        "  - day: 2\n",
        "  - day: 2\n    action: Draft the one-page strategy memo.\n  - day: 2\n",
    )
    rebuild(project)
    _, root = body(output(project))
    rows = [r for r in root.iter(w("tr")) if r.find(f"{w('trPr')}/{w('ins')}") is not None]
    assert len(rows) == 1 and "Draft the one-page strategy memo." in "".join(rows[0].itertext())
    marks = [
        p for p in root.iter(w("p")) if p.find(f"{w('pPr')}/{w('rPr')}/{w('ins')}") is not None
    ]
    inserted = [paragraph_text(p) for p in marks if p.getparent().tag == w("body")]
    assert "Draft the one-page strategy memo." in inserted
    assert any(t.startswith("☐ Day 2") for t in inserted)  # the new step's own heading


def test_removed_step_is_a_tracked_deletion(project):
    rebuild(project)
    rewrite_paragraph(output(project), "These become the backbone", "My own note on day 2.")
    text = (project / "marcus-lee.yaml").read_text(encoding="utf-8")
    start = text.index("  - day: 9\n")
    end = text.index("  - day:", start + 5)
    (project / "marcus-lee.yaml").write_text(text[:start] + text[end:], encoding="utf-8")
    rebuild(project)
    _, root = body(output(project))
    rows = [r for r in root.iter(w("tr")) if r.find(f"{w('trPr')}/{w('del')}") is not None]
    assert len(rows) == 1 and "Call one executive recruiter." in "".join(rows[0].itertext())
    deleted = [
        "".join(t.text or "" for t in p.iter(w("delText")))
        for p in root.iter(w("p"))
        if p.find(f"{w('pPr')}/{w('rPr')}/{w('del')}") is not None
    ]
    assert "Call one executive recruiter." in deleted
    assert "Call one executive recruiter." not in texts(root)  # accepted view


def test_change_on_both_sides_keeps_the_coach_text_and_comments(project):
    rebuild(project)
    rewrite_paragraph(output(project), "Write down his three", "Write down his four best results.")
    change_case(project, "Write down his three strongest", "Write down his five strongest")
    outcome = rebuild(project)[PLAN]
    assert [(c.kind, c.heading) for c in outcome.conflicts] == [
        (ConflictKind.CHANGED, "☐ Day 2: Sunday 22 November 2026")
    ]
    package, root = body(output(project))
    assert "Write down his four best results." in texts(root)
    comments = package.xml("word/comments.xml")
    [comment] = list(comments)
    assert comment.get(w("author")) == "artifactgen"
    assert "Write down his five strongest results with numbers." in "".join(comment.itertext())
    anchored = [p for p in root.iter(w("p")) if p.find(w("commentRangeStart")) is not None]
    assert [paragraph_text(p) for p in anchored] == ["Write down his four best results."]


def test_coach_removed_text_the_case_changed_is_reported(project):
    rebuild(project)
    document = docx.Document(str(output(project)))
    paragraph = next(p for p in document.paragraphs if p.text.startswith("Write down his three"))
    paragraph._p.getparent().remove(paragraph._p)
    document.save(str(output(project)))
    change_case(project, "Write down his three strongest", "Write down his five strongest")
    outcome = rebuild(project)[PLAN]
    assert [c.kind for c in outcome.conflicts] == [ConflictKind.DELETED]
    _, root = body(output(project))
    assert not any(t.startswith("Write down his") for t in texts(root))


def test_second_build_changes_no_byte(project):
    rebuild(project)
    rewrite_paragraph(output(project), "Write down his three", "Write down his four best results.")
    change_case(project, "for next week.", "for Tuesday next week.")
    change_case(project, "Write down his three strongest", "Write down his five strongest")
    rebuild(project)
    before = {p: p.read_bytes() for p in output(project).parent.rglob("*") if p.is_file()}
    outcomes = rebuild(project, when=WHEN + dt.timedelta(days=1))
    assert outcomes[PLAN].action is Action.KEPT
    after = {p: p.read_bytes() for p in output(project).parent.rglob("*") if p.is_file()}
    assert after == before


def test_second_case_change_before_review_replaces_the_first(project):
    rebuild(project)
    rewrite_paragraph(output(project), "These become the backbone", "My own note on day 2.")
    change_case(project, "for next week.", "for Tuesday next week.")
    rebuild(project)
    change_case(project, "for Tuesday next week.", "for Wednesday next week.")
    rebuild(project, when=WHEN + dt.timedelta(hours=1))
    _, root = body(output(project))
    assert [paragraph_text(i) for i in own(root, "ins")] == ["Wednesday ", "Wednesday "]
    assert own(root, "del") == []
    assert "Book a one-to-one with his manager for Wednesday next week." in texts(root)
    assert "Book a one-to-one with his manager for next week." in texts(rejected(root))


def test_merged_parts_are_schema_valid_and_ids_do_not_collide(project):
    rebuild(project)
    rewrite_paragraph(output(project), "Write down his three", "Write down his four best results.")
    change_case(project, "for next week.", "for Tuesday next week.")
    change_case(project, "Write down his three strongest", "Write down his five strongest")
    change_case(project, "Call one executive recruiter.", "Call two executive recruiters.")
    rebuild(project)
    data = output(project).read_bytes()
    assert schema_errors(data) == []
    package = Package.open(data)
    ids = [
        e.get(w("id"))
        for root in package.xml_parts()
        for e in root.iter(w("ins"), w("del"), w("comment"), w("bookmarkStart"))
    ]
    assert len(ids) == len(set(ids)) > 3


def highlight_words(path: Path, starts: str, words: str) -> None:
    """The coach highlights some words of a paragraph in Word."""
    document = docx.Document(str(path))
    paragraph = next(p for p in document.paragraphs if p.text.startswith(starts))
    text = paragraph.text
    for run in paragraph.runs[1:]:
        run.text = ""
    first = paragraph.runs[0]
    before, after = text.split(words, 1)
    first.text = before
    marked = paragraph.add_run(words)
    marked.bold = first.bold
    marked.font.highlight_color = WD_COLOR_INDEX.YELLOW
    paragraph.add_run(after).bold = first.bold
    document.save(str(path))


def test_formatting_the_case_would_strike_through_gets_a_comment_instead(project):
    rebuild(project)
    highlight_words(output(project), "Message three recently", "twenty minutes")
    change_case(project, "asking for twenty minutes", "asking for half an hour")
    outcome = rebuild(project)[PLAN]
    assert [c.kind for c in outcome.conflicts] == [ConflictKind.CHANGED]
    _, root = body(output(project))
    struck = [paragraph_text(d) for d in own(root, "del")]
    assert struck == ["twenty minutes"]  # only in the table cell the coach left alone
    highlighted = [
        r for r in root.iter(w("r")) if r.find(f"{w('rPr')}/{w('highlight')}") is not None
    ]
    assert [paragraph_text(r.getparent()) for r in highlighted] == [
        "Message three recently promoted VPs asking for twenty minutes each."
    ]


def test_a_coach_comment_inside_a_removed_step_keeps_the_step(project):
    rebuild(project)
    document = docx.Document(str(output(project)))
    paragraph = next(p for p in document.paragraphs if p.text.startswith("Call one executive"))
    document.add_comment(paragraph.runs, text="Ask Priya for names first.", author="Dana Ortiz")
    document.save(str(output(project)))
    text = (project / "marcus-lee.yaml").read_text(encoding="utf-8")
    start = text.index("  - day: 9\n")
    end = text.index("  - day:", start + 5)
    (project / "marcus-lee.yaml").write_text(text[:start] + text[end:], encoding="utf-8")
    outcome = rebuild(project)[PLAN]
    assert ConflictKind.REMOVED in [c.kind for c in outcome.conflicts]
    _, root = body(output(project))
    assert "Call one executive recruiter." in texts(root)  # not tracked as deleted


def test_new_list_item_is_a_tracked_paragraph_in_the_list_style(project):
    rebuild(project)
    snapshot = output(project, "01-decision-snapshot.docx")
    rewrite_paragraph(snapshot, "Marcus was passed over", "My own summary.")
    change_case(
        project,
        "    - His product lines shipped on time",
        "    - He built the analytics team from scratch.\n    - His product lines shipped on time",
    )
    rebuild(project)
    _, root = body(snapshot)
    inserted = [
        p for p in root.iter(w("p")) if p.find(f"{w('pPr')}/{w('rPr')}/{w('ins')}") is not None
    ]
    assert [
        (paragraph_text(p), p.find(f"{w('pPr')}/{w('pStyle')}").get(w("val"))) for p in inserted
    ] == [("He built the analytics team from scratch.", "ListBullet")]
    assert "My own summary." in texts(root)


def test_a_stale_copy_saved_over_a_newer_build_still_gets_the_change(project):
    rebuild(project)
    stale = output(project).read_bytes()  # still open in Word while the case changes
    change_case(project, "asking for twenty minutes", "asking for half an hour")
    rebuild(project)
    output(project).write_bytes(stale)
    rewrite_paragraph(output(project), "These become the backbone", "My own note on day 2.")
    outcome = rebuild(project)[PLAN]
    assert outcome.action is Action.MERGED
    _, root = body(output(project))
    assert "Message three recently promoted VPs asking for half an hour each." in texts(root)
    assert "My own note on day 2." in texts(root)


def test_a_new_step_goes_after_the_paragraphs_the_coach_added(project):
    rebuild(project)
    document = docx.Document(str(output(project)))
    detail = next(p for p in document.paragraphs if p.text.startswith("Conversation: Three"))
    note = copy.deepcopy(detail._p)
    detail._p.addnext(note)
    Paragraph(note, detail._parent).text = "My note under day 3."
    document.save(str(output(project)))
    change_case(
        project,
        "  - day: 5\n",
        "  - day: 4\n    action: Rest.\n  - day: 5\n",
    )
    rebuild(project)
    shown = texts(body(output(project))[1])
    assert shown.index("My note under day 3.") < shown.index("Rest.")
    assert shown.index("My note under day 3.") == shown.index("Rest.") - 2  # then the day heading
