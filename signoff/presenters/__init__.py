"""What signoff's pages and emails show, worked out here so templates only lay it out: the
review panel (review.py), the PDFs (documents.py), comment threads (comments.py), the plan's
activity (activity.py) and the home page's dashboards (dashboards.py)."""

from consortia.dates import long_moment


def when(moment) -> str:
    """A moment as every page and email says it: "3 July 2007 at 14:02" (pbc/formats)."""
    return long_moment(moment)


def question_label(question) -> str:
    """What an event or comment is on: "4.2 Savings", or the form's guidance when no question."""
    if question is None:
        return "the form's guidance"
    return f"{question.number} {question.title}".strip() if question.number else question.title
