"""A question answered in the rich-text editor: its value is the answer's sanitised HTML,
which is itself the content; there is nothing to compute from it."""

from __future__ import annotations

from .base import Kind


class RichTextKind(Kind):
    def value_of(self, answer) -> str:
        return answer.text if answer is not None else ""
