"""Generates realistic, varied case files for the benchmark from the example cases."""

from __future__ import annotations

import copy
import datetime as dt
import json
import random
import re
import textwrap
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

EXAMPLES = Path(__file__).resolve().parent.parent / "cases"
HEADER = "# yaml-language-server: $schema=../schema/case.schema.json\n"
LEVELS = ("low", "medium", "high")
FIRST_NAMES = (
    "Aisha", "Ben", "Chen", "Dara", "Elif", "Farid", "Grace", "Hugo", "Ines", "Jonas", "Kavya",
    "Liam", "Mei", "Nadia", "Oscar", "Pilar", "Quentin", "Rosa", "Sven", "Thandi", "Uma", "Viktor",
    "Wen", "Ximena", "Yusuf", "Zoë",
)  # fmt: skip
LAST_NAMES = (
    "Abara", "Novak", "Lindqvist", "O'Neill", "Park", "Ferreira", "Haddad", "Kowalski", "Mbeki",
    "Nakamura", "Rossi", "Schmidt", "Tan", "Van der Berg", "Walsh", "Yilmaz",
)  # fmt: skip
ROLES = (
    "Head of Customer Success", "Senior Software Engineer", "Marketing Manager", "Finance Lead",
    "UX Research Lead", "Operations Director", "Staff Data Scientist", "Sales Team Lead",
)  # fmt: skip
ORGANIZATIONS = (
    "a fintech scale-up", "a public hospital trust", "a family-owned retailer", "a B2B SaaS firm",
    "a global consultancy", "a university research office", None,
)  # fmt: skip
COACHES = ("Dana Ortiz", "Sam Okafor", "Lena Fischer", "Ravi Menon", "Joanna Blake")
SENTENCES = (
    "{first} has raised this twice already without a clear answer.",
    "The **deadline** is the end of the quarter, not the end of the year.",
    "Two former colleagues now work at *exactly* the kind of company {first} describes.",
    "The team's `on-call` rota changes in March.",
    "Salary data from [the sector survey](https://example.com/survey) puts the role 12% higher.",
    "Nobody has asked {first} directly what {first} wants next.",
    "A reorganisation is rumoured but has not been announced: \"maybe after the summer\".",
    "{first} would take a small pay cut for the right scope.",
)  # fmt: skip
RISKS = (
    ("The current manager takes the search personally.", "Frame every talk as development."),
    ("An offer arrives before the internal decision.", "Agree a decision date with both sides."),
    ("Workload crowds out the preparation.", "Block two mornings a week in the calendar."),
    ("The network goes quiet after the first round.", "Send a short update every two weeks."),
    ("A counter-offer clouds the decision.", "Write down the *real* reasons to move first."),
    ("Burnout returns before the change lands.", "Keep the on-call swap agreed in writing."),
)  # fmt: skip
STEPS = (
    "List the five people whose advice {first} trusts most.",
    "Update the CV with three results that have numbers in them.",
    "Ask HR for the written criteria of the next grade.",
    "Have coffee with a former colleague who made the same move.",
    "Draft the message to the recruiter, then sleep on it.",
    "Review the budget for a three-month gap between jobs.",
)  # fmt: skip
MILESTONES = (
    "Short list of target companies agreed.",
    "Two informational interviews held.",
    "Decision written down with its reasons.",
)  # fmt: skip


def generate_cases(folder: Path, count: int, seed: int = 7) -> list[Path]:
    """Write `count` distinct, valid case files into `folder`; one seed, the same files."""
    folder.mkdir(parents=True, exist_ok=True)
    examples = load_examples()
    paths = []
    for number in range(count):
        rng = random.Random(seed * 1_000_003 + number)
        case, slug = _varied(examples[number % len(examples)], rng)
        path = folder / f"{slug}-{number:04d}.yaml"
        path.write_text(HEADER + to_yaml(case), encoding="utf-8")
        paths.append(path)
    return paths


def large_case(folder: Path, risks: int, seed: int = 7) -> Path:
    """One case with `risks` risks (and steps that mitigate some of them)."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    case, slug = _varied(load_examples()[0], rng)
    first = case["client"]["name"].split()[0]
    case["risks"] = [_risk(rng, first, f"risk-{index:05d}") for index in range(1, risks + 1)]
    for step in case["action_plan"]:
        step["mitigates"] = [f"risk-{rng.randint(1, risks):05d}" for _ in range(3)]
    path = folder / f"{slug}-{risks}-risks.yaml"
    path.write_text(HEADER + to_yaml(case), encoding="utf-8")
    return path


def load_examples() -> list[dict[str, Any]]:
    loader = YAML(typ="safe", pure=True)
    return [loader.load(path) for path in sorted(EXAMPLES.glob("*.yaml"))]


def _varied(example: dict[str, Any], rng: random.Random) -> tuple[dict[str, Any], str]:
    """A copy of `example` for another client, with more or fewer entries and extra text."""
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    old_name = example["client"]["name"]
    case = _renamed(copy.deepcopy(example), old_name, f"{first} {last}")
    case.pop("id", None)
    case["client"]["role"] = rng.choice(ROLES)
    organization = rng.choice(ORGANIZATIONS)
    case["client"].pop("organization", None)
    if organization:
        case["client"]["organization"] = organization
    case["coach"]["name"] = rng.choice(COACHES)
    case["session"]["date"] = dt.date(2026, 1, 5) + dt.timedelta(days=rng.randrange(365))
    case["session"]["business_days_only"] = rng.random() < 0.3
    snapshot = case["snapshot"]
    snapshot["summary"] += " " + _sentence(rng, first)
    for key in ("what_is_true", "open_questions", "what_matters"):
        snapshot.setdefault(key, []).extend(_sentence(rng, first) for _ in range(rng.randint(0, 3)))
    extra_risks = rng.randint(0, 6)
    case["risks"] += [_risk(rng, first, f"extra-{n}") for n in range(1, extra_risks + 1)]
    risk_ids = [risk["id"] for risk in case["risks"]]
    for _ in range(rng.randint(0, 6)):
        step: dict[str, Any] = {"day": rng.randint(1, 14), "action": _step(rng, first)}
        if rng.random() < 0.4:
            step["detail"] = _sentence(rng, first) + "\n" + _sentence(rng, first)
        if rng.random() < 0.5:
            step["mitigates"] = rng.sample(risk_ids, k=min(2, len(risk_ids)))
        case["action_plan"].append(step)
    case["action_plan"].sort(key=lambda step: step["day"])
    for _ in range(rng.randint(0, 2)):
        milestone = {"by_day": rng.randint(1, 30), "milestone": rng.choice(MILESTONES)}
        case["roadmap"]["milestones"].append(milestone)
    slug = re.sub(r"[^a-z0-9]+", "-", f"{first} {last}".lower().replace("ë", "e")).strip("-")
    return case, slug


def _risk(rng: random.Random, first: str, risk_id: str) -> dict[str, Any]:
    text, mitigation = rng.choice(RISKS)
    risk: dict[str, Any] = {
        "id": risk_id,
        "risk": f"{text} {_sentence(rng, first)}",
        "likelihood": rng.choice(LEVELS),
        "impact": rng.choice(LEVELS),
        "mitigation": mitigation,
    }
    if rng.random() < 0.3:
        risk["owner"] = f"{first} and the coach"
    if rng.random() < 0.5:
        risk["warning_signs"] = [_sentence(rng, first) for _ in range(rng.randint(1, 2))]
    return risk


def _sentence(rng: random.Random, first: str) -> str:
    return rng.choice(SENTENCES).format(first=first)


def _step(rng: random.Random, first: str) -> str:
    return rng.choice(STEPS).format(first=first)


def _renamed(value: Any, old: str, new: str) -> Any:
    """`value` with the client's full and first name replaced in every text."""
    if isinstance(value, dict):
        return {key: _renamed(item, old, new) for key, item in value.items()}
    if isinstance(value, list):
        return [_renamed(item, old, new) for item in value]
    if isinstance(value, str):
        value = value.replace(old, new)
        return re.sub(rf"\b{re.escape(old.split()[0])}\b", new.split()[0], value)
    return value


# YAML out: block style as a coach writes it, plain scalars where they are safe.

_PLAIN = re.compile(r"[A-Za-z(][^\n#]*")
_KEYWORDS = {"true", "false", "null", "yes", "no", "on", "off", "y", "n", "~"}


_SECTIONS = {"client", "snapshot", "fork", "risks", "conversations", "action_plan", "roadmap"}


def to_yaml(value: dict[str, Any]) -> str:
    """`value` as block-style YAML, with a blank line before each section of the case."""
    lines = _mapping(value, 0)
    return "".join("\n" + line if line.split(":")[0] in _SECTIONS else line for line in lines)


def _mapping(mapping: dict[str, Any], indent: int) -> list[str]:
    lines = []
    pad = " " * indent
    for key, item in mapping.items():
        if item in ([], {}):
            lines.append(f"{pad}{key}: {item}\n")
        elif isinstance(item, dict):
            lines += [f"{pad}{key}:\n", *_mapping(item, indent + 2)]
        elif isinstance(item, list):
            lines += [f"{pad}{key}:\n", *_sequence(item, indent + 2)]
        else:
            lines.append(f"{pad}{key}: {_scalar(item, indent + 2)}\n")
    return lines


def _sequence(items: list[Any], indent: int) -> list[str]:
    lines = []
    pad = " " * indent
    for item in items:
        if isinstance(item, dict):
            nested = _mapping(item, indent + 2)
            lines += [f"{pad}- {nested[0].lstrip()}", *nested[1:]]
        else:
            lines.append(f"{pad}- {_scalar(item, indent + 2)}\n")
    return lines


def _scalar(value: Any, indent: int) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, dt.date)):
        return str(value)
    text = str(value)
    pad = " " * indent
    if "\n" in text and not any(line.startswith(" ") for line in text.splitlines()):
        return "|\n" + "".join(f"{pad}{line}\n" for line in text.splitlines()).rstrip("\n")
    if len(text) > 90 and "  " not in text and text == text.strip():
        lines = textwrap.wrap(text, 88, break_long_words=False, break_on_hyphens=False)
        return ">-\n" + "\n".join(pad + line for line in lines)
    if _is_plain(text):
        return text
    return json.dumps(text, ensure_ascii=False)


def _is_plain(text: str) -> bool:
    return (
        _PLAIN.fullmatch(text) is not None
        and ": " not in text
        and not text.endswith((":", " "))
        and text.lower() not in _KEYWORDS
    )
