"""The money, hours and counts in a PBC plan, as pure functions on ``decimal.Decimal``.

Nothing here imports Django, and nothing touches a float: amounts are ``Decimal`` (or ``int``)
in pounds, percentages are ``Decimal`` numbers of per cent (``Decimal("60")`` for 60%).
Every rate, share, weighting and scale is an argument, because in the product each one is a
setting of the plan template or of the PCT, never a constant of the code.

Amounts are kept exact: nothing is rounded while calculating, and where an amount is split the
parts always add back to the whole (the last part is the whole minus the others). Rounding
happens in one place, :func:`round_money`, used only for display by :func:`round_pounds`,
:func:`format_money`, :func:`format_compact_money` and :func:`format_percentage`.

Bad input raises :class:`FinanceInputError` (a ``ValueError``) whose message is written to be
shown to the user next to the field named by its ``field`` attribute: the field's path in the
answer ("projects[0].targets[1].planned_saving", "lines[2].hours"), the same name the input
has on the page (plans/kinds/rows.py), so nothing translates it. Passing a float, or any
other non-exact number, is a programming error and raises ``TypeError``.

The figures the functions are tested against (tests/unit/plans/test_finance.py) come from the
seed documents (shared/seeds/README.md): DacCom's plan (savings, DES funding
split, hours), the BANES plan (incentive, outcome framework weightings, freed-up resources
sliding scale) and DacCom's self-assessment against the PCT's PBC Framework (funding per level,
rating counts). The rates themselves are in the definition files (plans/definitions/), never
here (docs/decisions/0400).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext

__all__ = [
    "DEFAULT_RATING_SCALE",
    "DesFunding",
    "FinanceInputError",
    "FreedUpResourcesSplit",
    "HoursAllocation",
    "HoursLine",
    "HoursLineTotal",
    "LevelFunding",
    "LevelRatingCounts",
    "Outcome",
    "OutcomeArea",
    "OutcomePayment",
    "PaymentSplit",
    "ProjectSavings",
    "SavingsProject",
    "SavingsTarget",
    "SavingsTotals",
    "ScaleRow",
    "SelfAssessmentSummary",
    "allocate_hours",
    "des_funding",
    "format_compact_money",
    "format_money",
    "format_percentage",
    "framework_level_funding",
    "freed_up_resources_split",
    "funding_for_population",
    "incentive_pot",
    "line_hours",
    "outcome_payment",
    "outcome_weighting_mismatches",
    "percentage_of",
    "round_money",
    "round_pounds",
    "savings_totals",
    "scheme_return",
    "split_payment",
    "summarise_self_assessment",
    "validate_outcome_weightings",
    "validate_sliding_scale",
]

HUNDRED = Decimal(100)
ZERO = Decimal(0)
_PRECISION = 50  # working precision for the few divisions (shares, interpolation)

#: The self-assessment ratings DacCom used against the PCT's framework (seed 003), in order of
#: increasing work or risk. Not a rate: a vocabulary, which callers may replace.
DEFAULT_RATING_SCALE: tuple[str, ...] = ("OK", "Low", "Med", "High", "Critical")


class FinanceInputError(ValueError):
    """Input the calculation cannot accept; ``message`` is fit to show next to ``field``."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


# --------------------------------------------------------------------------------------------
# Input checks
# --------------------------------------------------------------------------------------------


def _number(value: object, *, field: str) -> Decimal:
    """An exact number as a Decimal; floats and other types are a programming error."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise TypeError(f"{field} must be a decimal.Decimal or an int, not {type(value).__name__}")
    number = Decimal(value)
    if not number.is_finite():
        raise FinanceInputError("Enter a number.", field=field)
    return number


def _money(value: object, *, field: str, label: str = "The amount") -> Decimal:
    amount = _number(value, field=field)
    if amount < 0:
        raise FinanceInputError(f"{label} cannot be negative.", field=field)
    return amount


def _positive_money(value: object, *, field: str, label: str = "The amount") -> Decimal:
    amount = _money(value, field=field, label=label)
    if amount == 0:
        raise FinanceInputError(f"{label} must be more than £0.", field=field)
    return amount


def _hours(value: object, *, field: str, label: str = "Hours") -> Decimal:
    hours = _number(value, field=field)
    if hours < 0:
        raise FinanceInputError(f"{label} cannot be negative.", field=field)
    return hours


def _whole_number(value: object, *, field: str, label: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{field} must be an int, not {type(value).__name__}")
    if value < minimum:
        if minimum == 1:
            raise FinanceInputError(f"{label} must be at least 1.", field=field)
        raise FinanceInputError(f"{label} cannot be negative.", field=field)
    return value


def _population(value: object, *, field: str) -> int:
    return _whole_number(value, field=field, label="The population", minimum=1)


def _percent(value: object, *, field: str, label: str = "The percentage") -> Decimal:
    percent = _number(value, field=field)
    if percent < 0 or percent > HUNDRED:
        raise FinanceInputError(f"{label} must be between 0% and 100%.", field=field)
    return percent


def _share(amount: Decimal, percent: Decimal) -> Decimal:
    """``percent`` per cent of ``amount``, exact for any terminating amount."""
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        return amount * percent / HUNDRED


# --------------------------------------------------------------------------------------------
# Rounding and display: the only place anything is rounded
# --------------------------------------------------------------------------------------------


def round_money(amount: Decimal, *, places: int = 2) -> Decimal:
    """Round ``amount`` half up to ``places`` decimal places (``places`` may be 0 or negative:
    -3 rounds to whole thousands). The one rounding helper; use it only for display."""
    amount = _number(amount, field="amount")
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        return amount.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def round_pounds(amount: Decimal) -> Decimal:
    """``amount`` rounded half up to whole pounds, for display."""
    return round_money(amount, places=0)


def _digits(value: Decimal) -> str:
    """A non-negative rounded Decimal as plain digits with thousands separators."""
    return f"{value:,f}"


def _sign(amount: Decimal) -> str:
    return "-" if amount < 0 else ""


def format_money(amount: Decimal, *, pence: bool | None = None) -> str:
    """``amount`` in full: "£15,000", "£9,000", "£0.50", "£1,234.50".

    ``pence``: True always shows pence, False rounds to whole pounds, None (default) shows
    pence only when the amount, rounded to the penny, has some.
    """
    amount = _number(amount, field="amount")
    in_pence = round_money(abs(amount), places=2)
    if pence is None:
        pence = in_pence != in_pence.to_integral_value()
    shown = in_pence if pence else round_pounds(abs(amount))
    if shown == 0:
        return "£0.00" if pence else "£0"
    return f"{_sign(amount)}£{_digits(shown)}"


def format_compact_money(amount: Decimal, *, millions_places: int = 2) -> str:
    """``amount`` the way the plans write figures in text: "£285k", "£214k", "£2.68m".

    From £1m: millions rounded half up to ``millions_places`` decimal places, trailing zeros
    dropped ("£2.68m"; "£6.106m" with ``millions_places=3``, for a figure given to the
    thousand; "£2m"). From £1,000: whole thousands ("£213,750" gives "£214k", "£71,250" gives
    "£71k"); a figure that rounds to 1,000k is shown in millions. Below £1,000: in full, as
    :func:`format_money` does.
    """
    amount = _number(amount, field="amount")
    if millions_places < 0:
        raise ValueError("millions_places cannot be negative")
    size = abs(amount)
    sign = _sign(amount)
    thousands = round_money(size / 1000, places=0)
    if size < 1000:
        return format_money(amount)
    if thousands < 1000:
        return f"{sign}£{_digits(thousands)}k"
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        millions = round_money(size / 1_000_000, places=millions_places)
    text = _digits(millions)
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{sign}£{text}m"


def format_percentage(percent: Decimal, *, places: int = 0) -> str:
    """A number of per cent for display, rounded half up: ``Decimal("43.83")`` gives "44%"."""
    shown = round_money(_number(percent, field="percent"), places=places)
    return f"{shown:f}%"


def percentage_of(*, part: Decimal, whole: Decimal) -> Decimal:
    """``part`` as a number of per cent of ``whole`` (unrounded)."""
    part = _money(part, field="part")
    whole = _positive_money(whole, field="whole")
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        return part * HUNDRED / whole


# --------------------------------------------------------------------------------------------
# Savings: projects, targets and the share of the PCT's Total Identified Savings (DacCom 4.2/4.4)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SavingsTarget:
    """One target with its planned saving, e.g. key "1.3", "Referrals Management", £335,000."""

    key: str
    title: str
    amount: Decimal


@dataclass(frozen=True)
class SavingsProject:
    """A project and its targets; a project may have none (DacCom's business-plan project)."""

    title: str
    targets: tuple[SavingsTarget, ...] = ()


@dataclass(frozen=True)
class ProjectSavings:
    title: str
    targets: tuple[SavingsTarget, ...]
    total: Decimal


@dataclass(frozen=True)
class SavingsTotals:
    projects: tuple[ProjectSavings, ...]
    total: Decimal
    total_identified_savings: Decimal | None
    #: the plan's total as per cent of the Total Identified Savings (unrounded), or None
    share_percent: Decimal | None


def savings_totals(
    *,
    projects: Sequence[SavingsProject],
    total_identified_savings: Decimal | None = None,
) -> SavingsTotals:
    """Total per project and for the plan, and the plan's share of the PCT's Total Identified
    Savings when that figure is given (DacCom: £2,676,000 is 44% of £6,106,000).

    Refuses a negative saving, a target key used twice, and a Total Identified Savings of £0 or
    less (there would be nothing to take a share of).
    """
    seen: set[str] = set()
    results: list[ProjectSavings] = []
    for p, project in enumerate(projects):
        total = ZERO
        for t, target in enumerate(project.targets):
            field = f"projects[{p}].targets[{t}].planned_saving"
            amount = _money(target.amount, field=field, label="A planned saving")
            if target.key in seen:
                raise FinanceInputError(
                    f"Target {target.key} is listed more than once.",
                    field=f"projects[{p}].targets[{t}].code",
                )
            seen.add(target.key)
            total += amount
        results.append(ProjectSavings(title=project.title, targets=project.targets, total=total))
    plan_total = sum((r.total for r in results), ZERO)
    share = None
    if total_identified_savings is not None:
        identified = _positive_money(
            total_identified_savings,
            field="total_identified_savings",
            label="The Total Identified Savings",
        )
        share = percentage_of(part=plan_total, whole=identified)
    return SavingsTotals(
        projects=tuple(results),
        total=plan_total,
        total_identified_savings=total_identified_savings,
        share_percent=share,
    )


# --------------------------------------------------------------------------------------------
# Payments per patient and payment splits (DacCom 5.4 DES funding; BANES part 2 incentive)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PaymentSplit:
    amount: Decimal
    practices_share_percent: Decimal
    to_practices: Decimal
    #: held in a budget by the PCT (DacCom: for invoices approved by the consortium)
    held_by_pct: Decimal


def split_payment(*, amount: Decimal, practices_share_percent: Decimal) -> PaymentSplit:
    """Split a payment between the practices and a budget held by the PCT.

    DacCom 5.4 splits both the aspiration payment and the reward payment this way; a
    management allowance may split its instalments the same way. The PCT's part is the amount
    less the practices' part, so the two always add up to the amount exactly.
    """
    amount = _money(amount, field="amount", label="The payment")
    share = _percent(
        practices_share_percent,
        field="practices_share_percent",
        label="The practices' share",
    )
    to_practices = _share(amount, share)
    return PaymentSplit(
        amount=amount,
        practices_share_percent=share,
        to_practices=to_practices,
        held_by_pct=amount - to_practices,
    )


def funding_for_population(*, population: int, rate_per_patient: Decimal) -> Decimal:
    """Population x rate per patient."""
    population = _population(population, field="population")
    rate = _money(rate_per_patient, field="rate_per_patient", label="The rate per patient")
    return population * rate


@dataclass(frozen=True)
class DesFunding:
    population: int
    rate_per_patient: Decimal
    total: Decimal
    split: PaymentSplit

    @property
    def to_practices(self) -> Decimal:
        return self.split.to_practices

    @property
    def held_by_pct(self) -> Decimal:
        return self.split.held_by_pct


def des_funding(
    *, population: int, rate_per_patient: Decimal, practices_share_percent: Decimal
) -> DesFunding:
    """A payment per patient for a declared population (DacCom 5.4's DES funding, aspiration
    and reward payments together) and its split; the rate and the share are the template's
    (plans/definitions/daccom-*.yaml)."""
    total = funding_for_population(population=population, rate_per_patient=rate_per_patient)
    return DesFunding(
        population=population,
        rate_per_patient=Decimal(rate_per_patient),
        total=total,
        split=split_payment(amount=total, practices_share_percent=practices_share_percent),
    )


def incentive_pot(*, registered_patients: int, rate_per_patient: Decimal) -> Decimal:
    """A practice's incentive pot: registered list x rate per patient (BANES Appendix 1)."""
    return funding_for_population(population=registered_patients, rate_per_patient=rate_per_patient)


# --------------------------------------------------------------------------------------------
# Incentive outcome framework (BANES Appendix 1)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """One outcome within an area, with its own weighting (BANES 4.2: 10%); None for a row
    just added and not filled in yet, which counts for nothing."""

    key: str
    weighting: Decimal | None
    title: str = ""


@dataclass(frozen=True)
class OutcomeArea:
    """An outcome area with its total weighting and, optionally, its weighted outcomes (which
    must then add up to the area's weighting); a weighting of None, for an area just added and
    not filled in yet, counts for nothing."""

    key: str
    title: str
    weighting: Decimal | None
    outcomes: tuple[Outcome, ...] = ()


@dataclass(frozen=True)
class OutcomePayment:
    incentive_pot: Decimal
    #: the per cent of the pot earned: the weightings of what was achieved, added up
    achieved_weighting: Decimal
    payment: Decimal
    #: the rest of the pot, not paid
    withheld: Decimal


def outcome_weighting_mismatches(*, areas: Sequence[OutcomeArea]) -> list[FinanceInputError]:
    """What does not add up in an outcome framework: an area whose outcomes do not add up to
    its weighting, and areas that do not add up to exactly 100% (BANES: 5 + 5 + 20 + 40 + 30).
    A draft may be saved with these (each is shown as a warning); a plan is not submitted.
    Areas and outcomes not filled in yet (weighting None) are passed over.

    Raises (never returns) what cannot be read at all: a weighting that is negative or over
    100%, an area's key used by another area, an outcome's by another outcome.
    """
    area_keys: set[str] = set()
    outcome_keys: set[str] = set()
    total = ZERO
    mismatches: list[FinanceInputError] = []
    for a, area in enumerate(areas):
        if area.weighting is None:
            continue
        field = f"areas[{a}].weighting_percent"
        weighting = _percent(area.weighting, field=field, label="A weighting")
        if area.key in area_keys:
            raise FinanceInputError(
                f"Outcome area {area.key} is listed more than once.", field=f"areas[{a}].number"
            )
        area_keys.add(area.key)
        outcomes = [(o, item) for o, item in enumerate(area.outcomes) if item.weighting is not None]
        if outcomes:
            outcomes_total = ZERO
            for o, outcome in outcomes:
                outcome_field = f"areas[{a}].outcomes[{o}].weighting_percent"
                outcomes_total += _percent(
                    outcome.weighting, field=outcome_field, label="A weighting"
                )
                if outcome.key in outcome_keys:
                    raise FinanceInputError(
                        f"Outcome {outcome.key} is listed more than once.",
                        field=f"areas[{a}].outcomes[{o}].number",
                    )
                outcome_keys.add(outcome.key)
            if outcomes_total != weighting:
                mismatches.append(
                    FinanceInputError(
                        f"The outcomes of area {area.key} add up to {outcomes_total:f}%, "
                        f"but the area's weighting is {weighting:f}%.",
                        field=field,
                    )
                )
        total += weighting
    if total != HUNDRED:
        mismatches.append(
            FinanceInputError(
                f"The weightings add up to {total:f}%; they must add up to exactly 100%.",
                field="areas",
            )
        )
    return mismatches


def validate_outcome_weightings(*, areas: Sequence[OutcomeArea]) -> Decimal:
    """Check an outcome framework and return its total weighting (always 100).

    Refuses: a negative weighting; keys used twice; an area whose outcomes do not add up to the
    area's weighting; areas that do not add up to exactly 100% (BANES: 5 + 5 + 20 + 40 + 30).
    """
    mismatches = outcome_weighting_mismatches(areas=areas)
    if mismatches:
        raise mismatches[0]
    return HUNDRED


def outcome_payment(
    *, incentive_pot: Decimal, areas: Sequence[OutcomeArea], achieved: Iterable[str]
) -> OutcomePayment:
    """A practice's incentive payment: its pot x the weightings of what it achieved.

    How BANES assesses achievement (seed 002, Appendix 1): each outcome has its own weighting
    and monitoring evidence, and funding is released "based on both individual practice
    outcomes (items in section 6) and overall consortium achievement of outcomes (for 1 to 5)".
    So achievement is yes/no per *outcome*, and an area can be partly achieved (area 4 with
    4.1 and 4.3 achieved but not 4.2 earns 10% of the pot, not 20%).

    ``achieved`` holds the keys achieved for this practice: the consortium's achieved outcomes
    plus the practice's own. A key may be an outcome's key or an area's key (the whole area
    achieved, e.g. for an area without listed outcomes). Unknown keys are refused, and so is
    a framework where an area and an outcome share a key, as what was achieved would be unclear.
    """
    validate_outcome_weightings(areas=areas)
    pot = _money(incentive_pot, field="incentive_pot", label="The incentive pot")
    shared = {area.key for area in areas} & {o.key for area in areas for o in area.outcomes}
    if shared:
        raise FinanceInputError(
            f"Both an area and an outcome are numbered {', '.join(sorted(shared))}.",
            field="achieved",
        )
    achieved_keys = set(achieved)
    weights: dict[str, Decimal] = {}
    for area in areas:
        weights[area.key] = Decimal(area.weighting or ZERO)
        for outcome in area.outcomes:
            weights[outcome.key] = Decimal(outcome.weighting or ZERO)
    unknown = sorted(achieved_keys - weights.keys())
    if unknown:
        raise FinanceInputError(
            f"Unknown outcome: {', '.join(unknown)}.",
            field="achieved",
        )
    earned = ZERO
    for area in areas:
        if area.key in achieved_keys:
            earned += weights[area.key]
        else:
            earned += sum((weights[o.key] for o in area.outcomes if o.key in achieved_keys), ZERO)
    payment = _share(pot, earned)
    return OutcomePayment(
        incentive_pot=pot, achieved_weighting=earned, payment=payment, withheld=pot - payment
    )


# --------------------------------------------------------------------------------------------
# Freed-up resources and the sliding return scale (BANES Appendix 2)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScaleRow:
    """A row of the sliding scale: when ``freed_up`` is freed up, ``returned`` goes back to fund
    the PBC and practice incentive scheme (BANES Appendix 2)."""

    freed_up: Decimal
    returned: Decimal


@dataclass(frozen=True)
class FreedUpResourcesSplit:
    freed_up: Decimal
    #: returned to fund the PBC (commissioning executive) and practice incentive scheme
    returned_to_scheme: Decimal
    #: what is left to split between practices and PCT
    remainder: Decimal
    practices_share_percent: Decimal
    to_practices: Decimal
    to_pct: Decimal


def validate_sliding_scale(*, scale: Sequence[ScaleRow]) -> tuple[ScaleRow, ...]:
    """Check a sliding scale and return it as a tuple.

    Refuses: negative amounts; rows not in strictly increasing order of freed-up amount;
    a return larger than its freed-up amount; a return smaller than the row before's; and a
    return that rises by more than the freed-up amount between two rows (each extra pound
    freed up can return at most that pound, so practices never end up with less for freeing
    up more). An empty scale is allowed: nothing is returned.
    """
    rows = tuple(scale)
    previous: ScaleRow | None = None
    for i, row in enumerate(rows):
        freed_up = _money(row.freed_up, field=f"scale[{i}].freed_up", label="A freed-up amount")
        returned = _money(row.returned, field=f"scale[{i}].returned_to_scheme", label="A return")
        if returned > freed_up:
            raise FinanceInputError(
                f"The return ({format_money(returned)}) cannot be more than the resources "
                f"freed up ({format_money(freed_up)}).",
                field=f"scale[{i}].returned_to_scheme",
            )
        if previous is not None:
            if freed_up <= previous.freed_up:
                raise FinanceInputError(
                    "The rows must be in increasing order of resources freed up, "
                    "each larger than the one before.",
                    field=f"scale[{i}].freed_up",
                )
            if returned < previous.returned:
                raise FinanceInputError(
                    "A return cannot be smaller than the return on the row before.",
                    field=f"scale[{i}].returned_to_scheme",
                )
            if returned - previous.returned > freed_up - previous.freed_up:
                raise FinanceInputError(
                    "Between two rows the return cannot rise by more than the resources freed up.",
                    field=f"scale[{i}].returned_to_scheme",
                )
        previous = row
    return rows


def scheme_return(*, amount: Decimal, scale: Sequence[ScaleRow]) -> Decimal:
    """What the sliding scale returns to the PBC and incentive scheme for ``amount`` freed up.

    * On a row: that row's return.
    * Between two rows: linear interpolation between them. Reason: BANES calls its table a
      "sliding scale" and prints it in even steps as a schedule, not as bands; and a step
      function (the return of the highest row not above the amount) would leave practices
      worse off for freeing up a little more, just at a row, than just below it (the worked
      figures are in plans/definitions/banes-plan.yaml and tests/unit/plans/test_finance.py).
      Interpolation keeps every part rising with the amount, which is what a finance lead would
      expect of a sliding scale.
    * Below the first row: linear from £0 at £0 to the first row, for the same reason, no
      cliff edge.
    * Beyond the last row: the last row's return, unchanged; the rest is split between
      practices and PCT. BANES says further freed-up resources are shared at its split, the
      last row returning all of the investment the scale exists to repay.
    """
    rows = validate_sliding_scale(scale=scale)
    amount = _money(amount, field="amount", label="The resources freed up")
    if not rows:
        return ZERO
    lower = ScaleRow(freed_up=ZERO, returned=ZERO)
    for row in rows:
        if amount == row.freed_up:
            return Decimal(row.returned)
        if amount < row.freed_up:
            with localcontext() as ctx:
                ctx.prec = _PRECISION
                rise = Decimal(row.returned) - Decimal(lower.returned)
                run = Decimal(row.freed_up) - Decimal(lower.freed_up)
                return Decimal(lower.returned) + (amount - Decimal(lower.freed_up)) * rise / run
        lower = row
    return Decimal(rows[-1].returned)


def freed_up_resources_split(
    *,
    amount: Decimal,
    scale: Sequence[ScaleRow],
    practices_share_percent: Decimal,
    minimum_practices_share_percent: Decimal | None = None,
    maximum_practices_share_percent: Decimal | None = None,
) -> FreedUpResourcesSplit:
    """Split freed-up resources into (return to the scheme, to practices, to PCT).

    First the sliding scale's return (see :func:`scheme_return` for between and beyond the
    rows), then the remainder split by the practices' share, the PCT taking the rest. The
    three parts always add up to the amount exactly.

    ``minimum_practices_share_percent`` / ``maximum_practices_share_percent``: optional bounds
    the share must respect (the national guidance sets a minimum share for practices).
    """
    share = _percent(
        practices_share_percent, field="practices_share_percent", label="The practices' share"
    )
    minimum = maximum = None
    if minimum_practices_share_percent is not None:
        minimum = _percent(
            minimum_practices_share_percent,
            field="minimum_practices_share_percent",
            label="The minimum share",
        )
    if maximum_practices_share_percent is not None:
        maximum = _percent(
            maximum_practices_share_percent,
            field="maximum_practices_share_percent",
            label="The maximum share",
        )
    if minimum is not None and maximum is not None and minimum > maximum:
        raise FinanceInputError(
            f"The minimum share ({minimum:f}%) cannot be above the maximum ({maximum:f}%).",
            field="minimum_practices_share_percent",
        )
    if minimum is not None and share < minimum:
        raise FinanceInputError(
            f"The practices' share cannot be below the minimum of {minimum:f}%.",
            field="practices_share_percent",
        )
    if maximum is not None and share > maximum:
        raise FinanceInputError(
            f"The practices' share cannot be above the maximum of {maximum:f}%.",
            field="practices_share_percent",
        )
    freed_up = _money(amount, field="amount", label="The resources freed up")
    returned = scheme_return(amount=freed_up, scale=scale)
    remainder = freed_up - returned
    to_practices = _share(remainder, share)
    return FreedUpResourcesSplit(
        freed_up=freed_up,
        returned_to_scheme=returned,
        remainder=remainder,
        practices_share_percent=share,
        to_practices=to_practices,
        to_pct=remainder - to_practices,
    )


# --------------------------------------------------------------------------------------------
# Hours allocation (DacCom 6.1)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HoursLine:
    """A line of the hours allocation: either ``hours`` as a fixed figure, or ``meetings`` x
    ``hours_each`` x ``attendees`` (DacCom: 16 meetings x 1.25 hours x 10 attendees)."""

    label: str
    hours: Decimal | None = None
    meetings: int | None = None
    hours_each: Decimal | None = None
    attendees: int | None = None


@dataclass(frozen=True)
class HoursLineTotal:
    label: str
    hours: Decimal


@dataclass(frozen=True)
class HoursAllocation:
    lines: tuple[HoursLineTotal, ...]
    total: Decimal
    funded_hours: Decimal | None
    #: funded hours not yet allocated (negative when over-allocated); None without funded hours
    unallocated: Decimal | None

    @property
    def over_allocated(self) -> bool:
        return self.unallocated is not None and self.unallocated < 0


def line_hours(*, line: HoursLine, field: str = "line") -> Decimal:
    """The hours of one line: its fixed figure, or meetings x hours each x attendees."""
    by_meetings = (line.meetings, line.hours_each, line.attendees)
    if line.hours is not None:
        if any(v is not None for v in by_meetings):
            raise FinanceInputError(
                "Give either the hours, or the meetings, hours each and attendees, not both.",
                field=field,
            )
        return _hours(line.hours, field=f"{field}.hours")
    if any(v is None for v in by_meetings):
        raise FinanceInputError(
            "Give the hours, or all of the meetings, hours each and attendees.", field=field
        )
    meetings = _whole_number(
        line.meetings, field=f"{field}.meetings", label="The number of meetings", minimum=0
    )
    each = _hours(line.hours_each, field=f"{field}.hours_each", label="Hours each")
    attendees = _whole_number(
        line.attendees, field=f"{field}.attendees", label="The number of attendees", minimum=0
    )
    return meetings * each * attendees


def allocate_hours(
    *, lines: Sequence[HoursLine], funded_hours: Decimal | None = None
) -> HoursAllocation:
    """Hours per line, their total and, given the hours funded, what is left to allocate.

    DacCom 6.1: 16 x 1.25 x 10 = 200, + 400 + 250 + 100 + 50 = 1,000 of about 1,000 funded.
    """
    totals = tuple(
        HoursLineTotal(label=line.label, hours=line_hours(line=line, field=f"lines[{i}]"))
        for i, line in enumerate(lines)
    )
    total = sum((t.hours for t in totals), ZERO)
    funded = None
    unallocated = None
    if funded_hours is not None:
        funded = _hours(funded_hours, field="funded_hours", label="Funded hours")
        unallocated = funded - total
    return HoursAllocation(lines=totals, total=total, funded_hours=funded, unallocated=unallocated)


# --------------------------------------------------------------------------------------------
# Funding by PBC Framework level (seed 003)
# --------------------------------------------------------------------------------------------

_PER_POPULATION = Decimal(100_000)


@dataclass(frozen=True)
class LevelFunding:
    population: int
    #: GP sessions and staff hours a week for this population (unrounded)
    gp_sessions_per_week: Decimal
    staff_hours_per_week: Decimal
    gp_sessions_cost: Decimal
    staff_hours_cost: Decimal
    total: Decimal


def framework_level_funding(
    *,
    population: int,
    gp_sessions_per_100k_per_week: Decimal,
    staff_hours_per_100k_per_week: Decimal,
    gp_session_rate: Decimal,
    staff_hourly_rate: Decimal,
    weeks_per_year: Decimal,
) -> LevelFunding:
    """A year's funding at a framework level for a population.

    GP sessions and practice-staff hours are set per 100,000 population per week; cost =
    (sessions x session rate + hours x hourly rate) x population / 100,000 x weeks per year.

    Every figure is the framework file's (plans/definitions/frameworks/), or the template's
    where it sets the session rate or the weeks; that file explains the demo's choice of a
    session rate and weeks the seed document does not state.
    """
    population = _population(population, field="population")
    sessions = _hours(
        gp_sessions_per_100k_per_week,
        field="gp_sessions_per_100k_per_week",
        label="GP sessions",
    )
    hours = _hours(
        staff_hours_per_100k_per_week, field="staff_hours_per_100k_per_week", label="Staff hours"
    )
    session_rate = _money(gp_session_rate, field="gp_session_rate", label="The session rate")
    hourly_rate = _money(staff_hourly_rate, field="staff_hourly_rate", label="The hourly rate")
    weeks = _number(weeks_per_year, field="weeks_per_year")
    if weeks <= 0 or weeks > 53:
        raise FinanceInputError(
            "The weeks in a year must be more than 0 and at most 53.", field="weeks_per_year"
        )
    with localcontext() as ctx:
        ctx.prec = _PRECISION
        sessions_per_week = sessions * population / _PER_POPULATION
        hours_per_week = hours * population / _PER_POPULATION
        sessions_cost = sessions_per_week * session_rate * weeks
        hours_cost = hours_per_week * hourly_rate * weeks
    return LevelFunding(
        population=population,
        gp_sessions_per_week=sessions_per_week,
        staff_hours_per_week=hours_per_week,
        gp_sessions_cost=sessions_cost,
        staff_hours_cost=hours_cost,
        total=sessions_cost + hours_cost,
    )


# --------------------------------------------------------------------------------------------
# Self-assessment summary (seed 003)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LevelRatingCounts:
    level: int
    #: (rating, count) for every rating of the scale, in the scale's order, zeros included
    counts: tuple[tuple[str, int], ...]
    rated: int
    unrated: int
    total: int

    def count(self, rating: str) -> int:
        return dict(self.counts)[rating]


@dataclass(frozen=True)
class SelfAssessmentSummary:
    levels: tuple[LevelRatingCounts, ...]
    totals: tuple[tuple[str, int], ...]
    rated: int
    unrated: int
    total: int

    def level(self, level: int) -> LevelRatingCounts:
        for counts in self.levels:
            if counts.level == level:
                return counts
        raise KeyError(level)

    def count(self, rating: str) -> int:
        return dict(self.totals)[rating]


def summarise_self_assessment(
    *,
    target_levels: Mapping[str, int],
    ratings: Mapping[str, str | None],
    rating_scale: Sequence[str] = DEFAULT_RATING_SCALE,
) -> SelfAssessmentSummary:
    """Count the ratings per framework level and in all.

    ``target_levels`` maps every target key of the framework to its level; ``ratings`` maps
    target keys to a rating of ``rating_scale`` (a target missing, or rated None, is counted as
    unrated). Refuses a rating for a target not in the framework and a rating not on the
    scale. The summary is computed from the data, so it cannot mislabel a level the way
    DacCom's own summary calls Level 3 "Level 2".
    """
    scale = tuple(rating_scale)
    if len(set(scale)) != len(scale) or not scale:
        raise FinanceInputError(
            "The rating scale must list each rating once.", field="rating_scale"
        )
    unknown = sorted(set(ratings) - set(target_levels))
    if unknown:
        raise FinanceInputError(
            f"Not a target of the framework: {', '.join(unknown)}.", field="ratings"
        )
    per_level: dict[int, dict[str, int]] = {}
    unrated: dict[int, int] = {}
    for key, level in target_levels.items():
        per_level.setdefault(level, dict.fromkeys(scale, 0))
        unrated.setdefault(level, 0)
        rating = ratings.get(key)
        if rating is None:
            unrated[level] += 1
        elif rating not in per_level[level]:
            raise FinanceInputError(
                f"Target {key}: '{rating}' is not a rating (use {', '.join(scale)}).",
                field=f"ratings.{key}",
            )
        else:
            per_level[level][rating] += 1
    levels = tuple(
        LevelRatingCounts(
            level=level,
            counts=tuple(per_level[level].items()),
            rated=sum(per_level[level].values()),
            unrated=unrated[level],
            total=sum(per_level[level].values()) + unrated[level],
        )
        for level in sorted(per_level)
    )
    totals = tuple((r, sum(lv.count(r) for lv in levels)) for r in scale)
    return SelfAssessmentSummary(
        levels=levels,
        totals=totals,
        rated=sum(lv.rated for lv in levels),
        unrated=sum(lv.unrated for lv in levels),
        total=sum(lv.total for lv in levels),
    )
