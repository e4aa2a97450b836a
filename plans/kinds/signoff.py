"""The sign-off block: no answer of its own; what is signed is recorded by signoff."""

from __future__ import annotations

from .base import Kind


class SignoffKind(Kind):
    def value_of(self, answer) -> dict:
        return {}
