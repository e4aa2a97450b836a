"""The service's own date and time formats, for its language (LANGUAGE_CODE en-gb), as the
plan forms write them: "3 July 2007", "14:02", "3 July 2007 at 14:02"."""

DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = r"j F Y \a\t H:i"
YEAR_MONTH_FORMAT = "F Y"
