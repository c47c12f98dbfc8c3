"""Canonical text of one block of a DOCX body: equal after a re-save, different after an edit."""

from __future__ import annotations

from collections.abc import Iterable

from lxml import etree

from artifactgen.docx_parts import read_part, relationships
from artifactgen.docx_props import word_local
from artifactgen.docx_stories import Stories
from artifactgen.wordml import w


class BlockCanon:
    """Signatures of the paragraphs, tables, rows and cells of a document's main part.

    Built once per package (styles, lists, relationships and comment authors are read here);
    `of` then takes any w:p, w:tbl, w:tr or w:tc element of the main part, from whatever parse
    of `files` the caller holds: an element knows its own table and row, so no root is needed.

    A signature has the block's text, its formatting as far as it differs from what its style
    gives (so an edited style definition, which is the styles role's business, leaves the
    blocks that use it alone), the style's name, the kind of list, links, fields, pictures and
    objects, footnote references, comments with their authors, and tracked changes with theirs.
    Tracked changes and comments by an author in `accepted` (artifactgen's own) read as accepted
    and absent. Table widths and row heights are left out, as in canonical_parts: compare them
    with docx_layout.table_layout and same_table.
    """

    def __init__(self, files: dict[str, bytes], accepted: Iterable[str] = ()) -> None:
        self.stories = Stories(files, relative=True, accepted=accepted)
        roles = self.stories.roles
        self.stories.rels = relationships(files, roles["body"]) if "body" in roles else {}
        comments = read_part(files, roles.get("comments"))
        self.stories.commenters = {
            note.get(w("id"), ""): note.get(w("author"), "")
            for note in (comments if comments is not None else ())
            if word_local(note) == "comment"
        }

    def of(self, element: etree._Element) -> str:
        """The signature of a paragraph, table, row or cell."""
        stories, tag = self.stories, word_local(element)
        stories.fields = []  # a field left open by the block before does not reach into this one
        if tag == "p":
            parent = element.getparent()
            cell = parent if parent is not None and word_local(parent) == "tc" else None
            context = stories.cell_context(cell) if cell is not None else {}
            lines = stories.paragraph(element, context)
        elif tag in ("tbl", "tr", "tc"):
            lines = getattr(stories, {"tbl": "table", "tr": "row", "tc": "cell"}[tag])(element)
        else:
            raise ValueError(f"not a paragraph, table, row or cell: {element.tag}")
        return "\n".join(lines)
