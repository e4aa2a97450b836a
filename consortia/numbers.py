"""How a number a person types is read: one rule for every figure a form asks for, a
definition file sets or a practice list brings in. It lives here, below plans, so the practice
import (consortia/services.py) reads with it too; plans and monitoring import it from here.

Digits 0-9; a minus in front where the field allows a negative; a decimal point; thousands
separated by commas or by spaces ("1,500,000", "1 500 000"), each group of three digits; a
pound sign in front, spaces after it as some people type one ("£ 1,500"), and a percent sign
behind, as the inputs show them. Nothing else is read
into a number: not an exponent ("1e3"), an underscore ("1_000"), digits of another script
("١٢٣"), a comma in the wrong place ("1,50", which might mean one and a half) or a plus sign.
Python's ``Decimal`` and ``int`` accept all of those, so input never goes to them unread.
"""

import re
from decimal import Decimal

#: A space between groups of digits: a space, or the no-break spaces a copied figure carries.
_SPACE = " \u00a0\u202f"
_NUMBER = re.compile(
    rf"""
    (?:(?P<minus>-)?(?:£[{_SPACE}]*)?|£[{_SPACE}]*(?P<minus_after>-))
    (?P<whole>
        [0-9]{{1,3}}(?:,[0-9]{{3}})+       # 1,500,000
      | [0-9]{{1,3}}(?:[{_SPACE}][0-9]{{3}})+  # 1 500 000
      | [0-9]+
    )?
    (?:\.(?P<fraction>[0-9]*))?
    %?
    """,
    re.VERBOSE | re.ASCII,
)


class NotANumber(ValueError):
    """What was typed is not a number by the rule above."""


def read_number(typed: str, *, marks: bool = True) -> Decimal | None:
    """``typed`` as a Decimal by the module's rule; None when it is blank. Raises NotANumber.
    Without ``marks`` the pound and percent signs the inputs show are not read: a figure in a
    definition file is written plain ("1.50")."""
    text = str(typed).strip()
    if not text:
        return None
    found = _NUMBER.fullmatch(text)
    if found is None or not (found["whole"] or found["fraction"]):
        raise NotANumber(typed)
    if not marks and ("£" in text or "%" in text):
        raise NotANumber(typed)
    whole = re.sub(rf"[,{_SPACE}]", "", found["whole"] or "0")
    sign = "-" if found["minus"] or found["minus_after"] else ""
    point = "" if found["fraction"] is None else f".{found['fraction']}"
    return Decimal(f"{sign}{whole}{point}")


def in_pence(amount: Decimal) -> bool:
    """Whether a finite ``amount`` is whole pence: "100.50" and "100.500" are, "100.005" is
    not. Money in pounds is recorded to the penny; a rate per patient may be finer ("£0.955 a
    patient"), so only the readers of amounts of money ask (docs/decisions/0467). Read from the
    digits as written, so no size of number can overflow the decimal context."""
    _sign, digits, exponent = amount.as_tuple()
    past_the_penny = -exponent - 2
    return past_the_penny <= 0 or not any(digits[-past_the_penny:])


def finer_than_pence(label: str) -> str:
    """The refusal of an amount of money typed with a fraction of a penny, never rounded."""
    return (
        f"{label} has more than 2 decimal places. "
        "Enter an amount in pounds and pence, like 1,500.25."
    )


def pounds_and_pence(amount: Decimal) -> str:
    """Whole pence as a money box shows them and ``read_number`` reads them back to the same
    amount: "1,234.50", "12,000.00", "-5.00"; finer places kept, never rounded ("0.955")."""
    return _as_typed(amount, places=2)


def figure_as_typed(amount: Decimal) -> str:
    """A figure as a person types it into a box and ``read_number`` reads it back to the same
    amount: thousands in commas and no zeros after the last digit that counts ("12.5" for a
    stored "12.5000", "1,250", "0.125"); every place kept, never rounded."""
    return _as_typed(amount, places=0)


def _as_typed(amount: Decimal, *, places: int) -> str:
    """``amount`` with thousands in commas and at least ``places`` decimal places."""
    whole, _point, fraction = f"{amount:,f}".partition(".")
    fraction = fraction.rstrip("0").ljust(places, "0")
    return f"{whole}.{fraction}" if fraction else whole
