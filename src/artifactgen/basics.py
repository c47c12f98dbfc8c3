"""The contract's building blocks: trimmed, Word-safe text, ids, and the strict mapping base."""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints
from pydantic_core import PydanticCustomError

SLUG_PATTERN = r"^[a-z0-9][a-z0-9-]{0,63}$"
_NOT_IN_WORD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _word_safe(value: str) -> str:
    match = _NOT_IN_WORD.search(value)
    if match:
        raise PydanticCustomError(
            "control_character",
            "contains control character U+{code} at character {position}, "
            "which a Word document cannot hold; remove it",
            {"code": f"{ord(match.group()):04X}", "position": match.start() + 1},
        )
    return value


def slugify(text: str) -> str:
    """An id made from any text: 'Ana Lucía Pérez' -> 'ana-lucia-perez'."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:64].strip("-")
    return slug or "case"


Text = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1), AfterValidator(_word_safe)
]
Slug = Annotated[
    str,
    StringConstraints(pattern=SLUG_PATTERN),
    Field(description="lowercase letters, digits and hyphens, e.g. early-disclosure"),
]


class Contract(BaseModel):
    """Base of every mapping in a case file: unknown keys are refused."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
