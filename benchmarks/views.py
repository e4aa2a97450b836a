"""A bare page: the least Django can do for a signed-in person, through the same middleware."""

from functools import cache

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

TEMPLATE = "benchmarks/bare.html"


@cache
def _filler(size: int) -> str:
    """Text that brings the rendered template to ``size`` bytes (ASCII, so bytes = characters)."""
    empty = len(render_to_string(TEMPLATE, {"filler": ""}).encode())
    return mark_safe("x" * max(0, size - empty))  # noqa: S308 (fixed ASCII filler)


@login_required
def bare(request, size: int):
    """A static template of ``size`` bytes; answers a POST (past the CSRF check) the same way."""
    return render(request, TEMPLATE, {"filler": _filler(size)})
