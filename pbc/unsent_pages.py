"""What /unsent/ says of a post kept while no one was signed in (pbc/security/unsent.py): the
page it came from, and what it held under the words its page gave each field."""

from dataclasses import dataclass
from urllib.parse import urlsplit

from django.urls import Resolver404, resolve

from consortia.plain_forms import forms_read_by, posted_under_labels
from plans.models import TemplateQuestion
from plans.presenters import answer_post_shown
from plans.selectors import answers_visible_to

from .security.unsent import Unsent


@dataclass(frozen=True)
class SentPost:
    #: the question an answer was sent to (a page the person may still see), else None
    question: TemplateQuestion | None
    #: the page to go back to, "" where the browser did not say which
    page: str
    #: (label, value) of each field the person filled in
    shown: list[tuple[str, str]]


def sent_post(user, unsent: Unsent) -> SentPost:
    try:
        match = resolve(urlsplit(unsent.address).path)
    except Resolver404:
        return SentPost(None, unsent.sent_from, list(unsent.shown))
    if match.url_name == "answer_edit":
        question = _question_answered(user, **match.kwargs)
        if question is not None:
            return SentPost(question, unsent.address, answer_post_shown(question, unsent.fields))
    forms = forms_read_by(match.func)
    shown = posted_under_labels(forms, unsent.fields) if forms else list(unsent.shown)
    return SentPost(None, unsent.sent_from, shown)


def _question_answered(user, *, plan_id: int, question_key: str) -> TemplateQuestion | None:
    """The question whose answer was sent, for the page to name it; None where the person may
    no longer see it."""
    answer = answers_visible_to(user).filter(plan_id=plan_id, question__key=question_key).first()
    return answer.question if answer is not None else None
