"""What signoff's pages and emails show, worked out here so templates only lay it out: the
review panel (review.py), the PDFs (documents.py), comment threads (comments.py), the plan's
activity (activity.py) and the home page's dashboards (dashboards.py)."""

from django.utils.formats import date_format
from django.utils.timezone import localtime


def when(moment) -> str:
    """A moment as every page and email says it: "3 July 2007 at 14:02" (pbc/formats)."""
    return date_format(localtime(moment), "DATETIME_FORMAT")
