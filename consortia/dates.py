"""A day in words, as every page, email, message and PDF writes it ("3 July 2007"): the
service's DATE_FORMAT (pbc/formats), asked for in one place."""

from datetime import date

from django.utils.formats import date_format


def long_date(value: date) -> str:
    return date_format(value, "DATE_FORMAT")
