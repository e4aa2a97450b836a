"""Projects and targets with planned savings (DacCom 4.2), and the PCT's Total Identified
Savings (DacCom 4.4): totals per project and for the plan, and the plan's share of the PCT's
figure ("£2.68m (44%) of £6.106m"), computed by plans.finance.savings_totals, never typed."""

from __future__ import annotations

from decimal import Decimal

from .. import finance
from ..errors import AnswerInvalid
from .base import (
    NO_PLAN,
    Field,
    Kind,
    KindContext,
    Rows,
    apply_row_action,
    blank,
    blank_in,
    count,
    decimal,
    place_error,
    shown,
    stored,
    text,
)

TARGET_KEYS = ("code", "title", "planned_saving")
PROJECT_ROWS = Rows(
    noun="project",
    new=lambda: {"number": "", "title": "", "leads": [], "targets": []},
    is_empty=lambda project: (
        not project["targets"] and blank(project, ("number", "title", "leads"))
    ),
    children=Rows(
        noun="target",
        new=lambda: dict.fromkeys(TARGET_KEYS, ""),
        is_empty=blank_in(TARGET_KEYS),
    ),
    children_key="targets",
)
MAX_TARGETS = 5000


def _leads(value) -> list[str]:
    if isinstance(value, str):
        value = value.split(",")
    return [text(name) for name in (value or []) if text(name)]


def plan_savings(projects_data: dict, identified: Decimal | None) -> finance.SavingsTotals:
    projects = [
        finance.SavingsProject(
            title=project.get("title", ""),
            targets=tuple(
                finance.SavingsTarget(
                    key=target["code"],
                    title=target.get("title", ""),
                    amount=Decimal(target["planned_saving"]),
                )
                for target in project.get("targets") or []
                if target.get("code") and target.get("planned_saving") not in (None, "")
            ),
        )
        for project in projects_data.get("projects") or []
    ]
    return finance.savings_totals(projects=projects, total_identified_savings=identified)


def identified_savings(data: dict) -> Decimal | None:
    value = (data or {}).get("total_identified_savings")
    if value in (None, ""):
        return None
    number = Decimal(str(value))
    return number if number > 0 else None


def share_summary(figures: dict) -> str:
    """ "£2.68m (44%) of £6.106m", or the total alone without the PCT's figure."""
    total = finance.format_compact_money(figures["total"])
    if figures["share_percent"] is None:
        return total
    identified = finance.format_compact_money(
        figures["total_identified_savings"], millions_places=3
    )
    return f"{total} ({finance.format_percentage(figures['share_percent'])}) of {identified}"


def savings_figures(projects_data: dict, identified: Decimal | None) -> dict:
    """The plan's savings as domain values: each project's targets and total, the plan's
    total, and its share of the PCT's Total Identified Savings (None without that figure)."""
    totals = plan_savings(projects_data, identified)
    projects = []
    for project, computed in zip(projects_data.get("projects") or [], totals.projects, strict=True):
        projects.append(
            {
                "number": project.get("number", ""),
                "title": project.get("title", ""),
                "leads": list(project.get("leads") or []),
                "targets": [
                    {
                        "code": target.get("code", ""),
                        "title": target.get("title", ""),
                        "planned_saving": (
                            Decimal(target["planned_saving"])
                            if target.get("planned_saving") not in (None, "")
                            else None
                        ),
                    }
                    for target in project.get("targets") or []
                ],
                "total": computed.total,
            }
        )
    return {
        "projects": projects,
        "total": totals.total,
        "target_count": sum(len(p.targets) for p in totals.projects),
        "total_identified_savings": identified,
        "share_percent": totals.share_percent,
    }


def savings_display(figures: dict) -> dict:
    """The plan's total and share as the savings templates show them."""
    return {
        "total": figures["total"],
        "total_display": finance.format_money(figures["total"]),
        "total_compact": finance.format_compact_money(figures["total"]),
        "share_display": (
            finance.format_percentage(figures["share_percent"])
            if figures["share_percent"] is not None
            else ""
        ),
        "summary": share_summary(figures),
    }


class ProjectsKind(Kind):
    template_name = "plans/structured/projects.html"

    def from_post(self, post, *, prefix, current):
        p = f"{prefix}-"
        if f"{p}projects" not in post:
            return current or {}, ""
        projects = []
        for i in range(count(post, f"{p}projects")):
            targets = [
                {key: post.get(f"{p}p{i}-t{j}-{key}", "") for key in TARGET_KEYS}
                for j in range(count(post, f"{p}p{i}-targets"))
            ]
            projects.append(
                {
                    "number": post.get(f"{p}p{i}-number", ""),
                    "title": post.get(f"{p}p{i}-title", ""),
                    "leads": _leads(post.get(f"{p}p{i}-leads", "")),
                    "targets": targets,
                }
            )
        projects, pressed = apply_row_action(post, projects, PROJECT_ROWS)
        return {"projects": projects}, pressed

    def clean(self, data, *, context: KindContext = NO_PLAN):
        projects = data.get("projects", [])
        if not isinstance(projects, list) or not all(isinstance(p, dict) for p in projects):
            raise AnswerInvalid("The projects could not be read: reload the page and try again.")
        if len(projects) > 500:
            raise AnswerInvalid("A plan can list at most 500 projects.")
        if sum(len(p.get("targets") or []) for p in projects) > MAX_TARGETS:
            raise AnswerInvalid(f"A plan can list at most {MAX_TARGETS:,} targets.")
        cleaned = []
        seen: dict[str, str] = {}
        for i, project in enumerate(projects):
            targets = []
            for j, target in enumerate(project.get("targets") or []):
                if not isinstance(target, dict):
                    raise AnswerInvalid("A target could not be read: reload the page.")
                where = f"p{i}-t{j}"
                code = text(target.get("code"), field=f"{where}-code")
                title = text(target.get("title"), field=f"{where}-title")
                amount = decimal(
                    target.get("planned_saving"),
                    field=f"{where}-planned_saving",
                    label="The planned saving",
                )
                if not code and not title and amount is None:
                    targets.append(dict.fromkeys(TARGET_KEYS, ""))
                    continue
                if not code:
                    raise AnswerInvalid(
                        "Enter the target's number, like 1.1.", field=f"{where}-code"
                    )
                if code in seen:
                    raise AnswerInvalid(
                        f"Target {code} is already listed in project {seen[code]}.",
                        field=f"{where}-code",
                    )
                seen[code] = text(project.get("number")) or str(i + 1)
                if amount is None:
                    raise AnswerInvalid(
                        "Enter the planned saving in pounds, like 153000.",
                        field=f"{where}-planned_saving",
                    )
                targets.append({"code": code, "title": title, "planned_saving": stored(amount)})
            item = {
                "number": text(project.get("number"), field=f"p{i}-number"),
                "title": text(project.get("title"), field=f"p{i}-title"),
                "leads": _leads(project.get("leads")),
                "targets": targets,
            }
            if not item["title"] and (
                item["number"] or item["leads"] or any(t["code"] for t in targets)
            ):
                raise AnswerInvalid("Enter the project's title.", field=f"p{i}-title")
            cleaned.append(item)
        return {"projects": cleaned}

    def figures(self, value, *, context: KindContext) -> dict:
        identified = identified_savings(context.sibling("savings_target"))
        return savings_figures(value, identified)

    def present(self, data, *, context: KindContext):
        cleaned, invalid = self.checked(data, context=context)
        source = cleaned if cleaned is not None else (data or {})
        computed = self.figures(cleaned, context=context) if cleaned is not None else None
        all_fields: list[Field] = []
        projects = []
        for i, project in enumerate(source.get("projects") or []):
            label = f"project {i + 1}"
            fields = {
                "number": Field(
                    f"p{i}-number",
                    "Number",
                    shown(project.get("number")),
                    width="3",
                    hidden_label=False,
                    label_suffix=f", {label}",
                ),
                "title": Field(
                    f"p{i}-title",
                    "Title",
                    shown(project.get("title")),
                    hidden_label=False,
                    label_suffix=f", {label}",
                ),
                "leads": Field(
                    f"p{i}-leads",
                    "Leads",
                    ", ".join(project.get("leads") or []),
                    hint="Separate names with commas.",
                    hidden_label=False,
                    label_suffix=f", {label}",
                ),
            }
            all_fields += fields.values()
            targets = []
            for j, target in enumerate(project.get("targets") or []):
                which = f"target {j + 1} of {label}"
                target_fields = {
                    "code": Field(
                        f"p{i}-t{j}-code", f"Number, {which}", shown(target.get("code")), width="4"
                    ),
                    "title": Field(
                        f"p{i}-t{j}-title", f"Title, {which}", shown(target.get("title"))
                    ),
                    "planned_saving": Field(
                        f"p{i}-t{j}-planned_saving",
                        f"Planned saving in pounds, {which}",
                        shown(target.get("planned_saving")),
                        input="money",
                        width="10",
                    ),
                }
                all_fields += target_fields.values()
                amount = ""
                if computed is not None:
                    saving = computed["projects"][i]["targets"][j]["planned_saving"]
                    amount = finance.format_money(saving) if saving is not None else ""
                targets.append(
                    {"index": j, "fields": target_fields, "value": target, "amount": amount}
                )
            total = computed["projects"][i]["total"] if computed is not None else None
            projects.append(
                {
                    "index": i,
                    "fields": fields,
                    "value": project,
                    "targets": targets,
                    "total": total,
                    "total_display": finance.format_money(total) if total is not None else "",
                }
            )
        error = place_error(all_fields, invalid)
        identified = computed["total_identified_savings"] if computed is not None else None
        screen = {
            "projects": projects,
            "computed": computed is not None,
            "error": error,
            "invalid": invalid is not None,
            "identified_display": (
                finance.format_compact_money(identified, millions_places=3) if identified else ""
            ),
        }
        if computed is not None:
            screen.update(savings_display(computed), target_count=computed["target_count"])
        return screen


class SavingsTargetKind(Kind):
    template_name = "plans/structured/savings_target.html"

    def from_post(self, post, *, prefix, current):
        name = f"{prefix}-total_identified_savings"
        if name not in post:
            return current or {}, ""
        return {"total_identified_savings": post.get(name, "")}, ""

    def clean(self, data, *, context: KindContext = NO_PLAN):
        amount = decimal(
            data.get("total_identified_savings"),
            field="total_identified_savings",
            label="The Total Identified Savings",
        )
        if amount is None:
            return {}
        if amount == 0:
            raise AnswerInvalid(
                "The Total Identified Savings must be more than £0.",
                field="total_identified_savings",
            )
        return {"total_identified_savings": stored(amount)}

    def figures(self, value, *, context: KindContext) -> dict:
        identified = identified_savings(value)
        projects = context.sibling("projects")
        result = {
            "total_identified_savings": identified,
            "total": None,
            "share_percent": None,
        }
        if projects.get("projects"):
            try:
                totals = savings_figures(projects, identified)
            except (finance.FinanceInputError, KeyError, ArithmeticError):
                return result
            result.update(total=totals["total"], share_percent=totals["share_percent"])
        return result

    def present(self, data, *, context: KindContext):
        cleaned, invalid = self.checked(data, context=context)
        field = Field(
            "total_identified_savings",
            "Total Identified Savings in pounds",
            shown((data or {}).get("total_identified_savings")),
            input="money",
            width="10",
            hint="The savings the PCT's Financial Recovery Plan identifies, for example 6106000.",
            hidden_label=False,
        )
        error = place_error([field], invalid)
        computed = self.figures(cleaned, context=context) if cleaned is not None else None
        identified = computed["total_identified_savings"] if computed is not None else None
        screen = {"field": field, "error": error, "identified": identified, "computed": False}
        if identified is not None:
            screen["identified_display"] = finance.format_money(identified)
            screen["identified_compact"] = finance.format_compact_money(
                identified, millions_places=3
            )
        if computed is not None and computed["total"] is not None:
            screen.update(savings_display(computed), computed=True)
        return screen
