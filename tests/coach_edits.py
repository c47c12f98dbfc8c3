"""Every way a coach edits a deliverable in Word, as functions on a python-docx Document."""

from tests.test_docx_canon import EDITS

__all__ = ["EDITS"]
