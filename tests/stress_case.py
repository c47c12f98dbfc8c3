"""A case that strains every table: 50 risks, long sentences, long words and long URLs."""

from __future__ import annotations

import datetime as dt
import itertools

import yaml

LEVELS = ("low", "medium", "high")
URLS = (
    "https://careers.example-company.com/jobs/engineering/director-of-platform-engineering"
    "?utm_source=newsletter&utm_medium=email&utm_campaign=autumn-hiring-2026",
    "https://www.linkedin.com/in/a-very-long-profile-name-with-many-hyphenated-parts-1234567890/",
    "https://docs.google.com/document/d/1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789AbCdEfGhIj/edit",
)
LONG_WORDS = (
    "Donaudampfschifffahrtsgesellschaftskapitän",
    "Rechtsschutzversicherungsgesellschaften",
)
SENTENCE = (
    "The leadership team postpones the reorganisation again, the budget conversation slips "
    "into next quarter and the promised responsibilities quietly go to someone else"
)


def _risk(number: int) -> dict:
    likelihood, impact = list(itertools.product(LEVELS, LEVELS))[number % 9]
    text = f"Risk number {number}: {SENTENCE}."
    if number % 3 == 0:
        text += f" See {URLS[number % len(URLS)]} for the posting."
    if number % 5 == 0:
        text += f" The {LONG_WORDS[number % 2]} problem."
    risk = {
        "id": f"risk-{number}",
        "risk": text,
        "likelihood": likelihood,
        "impact": impact,
        "mitigation": f"Write to the sponsor before Friday and agree on dated, written criteria; "
        f"keep a copy at {URLS[(number + 1) % len(URLS)]} so both can check it.",
        "warning_signs": [
            "Meetings about the reorganisation happen without an invitation",
            f"The shared notes at {URLS[number % len(URLS)]} stop being updated",
        ][: number % 3],
    }
    if number % 4 == 0:
        risk["owner"] = "Jordan Smith together with the Head of People Operations"
    elif number % 4 == 1:
        risk["owner"] = "Jo"
    return risk


def stress_case() -> str:
    """The case file's text: valid, with 50 risks and long text in every table."""
    long_text = f"{SENTENCE}; details at {URLS[0]} and a {LONG_WORDS[0]} to wrap."
    case = {
        "schema_version": 1,
        "id": "stress",
        "client": {"name": "Jordan Smith", "role": "Principal Platform Engineer"},
        "coach": {"name": "Dana Ortiz", "email": "dana@example.com"},
        "session": {"date": dt.date(2026, 11, 20), "business_days_only": True},
        "snapshot": {
            "question": "Stay, go or pivot?",
            "summary": long_text,
            "what_is_true": [long_text],
            "what_matters": ["Growth without burning out."],
        },
        "fork": {
            "recommendation": "pivot",
            "headline": "Move into the platform strategy role.",
            "reasoning": [long_text],
            "options": [
                {"path": path, "summary": long_text, "pros": [long_text, "Short"], "cons": []}
                for path in ("stay", "go", "pivot")
            ],
        },
        "risks": [_risk(number) for number in range(1, 51)],
        "conversations": [
            {
                "id": "sponsor",
                "with": "The VP of Engineering and the Director of Infrastructure Reliability",
                "goal": "Agree on the move.",
                "opening": "I'd like to talk about the platform strategy role.",
                "pushback": [
                    {"they_say": long_text, "you_say": f"Fair. {long_text}"},
                    {"they_say": "Not now.", "you_say": "When, then?"},
                ]
                * 4,
                "ask": "A dated decision.",
            }
        ],
        "action_plan": [
            {
                "day": day,
                "action": long_text if day % 2 else "Call the recruiter.",
                "conversation": "sponsor",
                "mitigates": [f"risk-{day}"],
            }
            for day in range(1, 15)
        ],
        "roadmap": {
            "milestones": [{"by_day": day, "milestone": long_text} for day in range(2, 31, 3)],
            "check_ins": [
                {"day": day, "with": "Dana Ortiz and the VP of Engineering"}
                for day in range(5, 31, 5)
            ],
        },
    }
    return yaml.safe_dump(case, sort_keys=False, allow_unicode=True, width=1000)
