"""Looks up a question's comments in the part page's presenter (signoff/presenters/comments.py)."""

from django import template

register = template.Library()


@register.filter
def comments_for(part_comments, question_id):
    """The question's comment block, or None where the page shows no comments."""
    if not part_comments:
        return None
    return part_comments.for_question(question_id)


@register.filter
def open_on(open_threads, question_id) -> int:
    """Open threads on a question (open_threads: signoff.selectors.OpenThreads)."""
    if not open_threads:
        return 0
    return open_threads.by_question.get(question_id, 0)


@register.filter
def open_on_guidance(open_threads, part_id) -> int:
    if not open_threads:
        return 0
    return open_threads.by_part.get(part_id, 0)
