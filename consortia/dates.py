"""A day in words, as every page, email, message and PDF writes it ("3 July 2007"), and a moment
("3 July 2007 at 14:02", in the service's time zone): the service's DATE_FORMAT and
DATETIME_FORMAT (pbc/formats), asked for in one place."""

from datetime import date, datetime

from django.utils.formats import date_format
from django.utils.timezone import localtime


def long_date(value: date) -> str:
    return date_format(value, "DATE_FORMAT")


def as_typed(value: date) -> str:
    """A day as a date box shows it and takes it in the service's language (en-GB): 31/03/2027.
    The form's DateField reads it (Django's en-GB DATE_INPUT_FORMATS) where no date box is
    drawn and the day is typed as text."""
    return value.strftime("%d/%m/%Y")


def long_moment(value: datetime) -> str:
    return date_format(localtime(value), "DATETIME_FORMAT")
