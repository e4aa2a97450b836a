"""Projects and targets with planned savings (DacCom 4.2): totals per project and for the
plan, and the plan's share of the PCT's Total Identified Savings (4.4), never typed."""

from __future__ import annotations

from .. import finance
from ..errors import AnswerInvalid
from . import rows
from .base import NO_PLAN, Kind, KindContext
from .rows import MONEY, NAMES, Column, RowSpec
from .savings_target import identified_savings, savings_display, savings_figures

MAX_TARGETS = 5000
PROJECTS = RowSpec(
    name="projects",
    noun="project",
    max_rows=500,
    columns=(
        Column("number", "Number", width="3", visible_label=True),
        Column("title", "Title", visible_label=True),
        Column("leads", "Leads", NAMES, hint="Separate names with commas.", visible_label=True),
    ),
    children=RowSpec(
        name="targets",
        noun="target",
        max_rows=MAX_TARGETS,
        columns=(
            Column("code", "Number", width="4"),
            Column("title", "Title"),
            Column(
                "planned_saving", "Planned saving in pounds", MONEY, width="10",
                said="The planned saving",
            ),
        ),
    ),
)  # fmt: skip


class ProjectsKind(Kind):
    template_name = "plans/structured/projects.html"

    def value_from_post(self, post, *, prefix, current):
        if not rows.posted(post, prefix=prefix, spec=PROJECTS):
            return current or {}, ""
        projects = rows.read(post, prefix=prefix, spec=PROJECTS)
        projects, pressed = rows.apply_action(post, projects, PROJECTS)
        return {"projects": projects}, pressed

    def clean(self, data, *, context: KindContext = NO_PLAN):
        listed = rows.rows_of(data, PROJECTS, what="projects")
        if sum(len(p.get("targets") or []) for p in listed) > MAX_TARGETS:
            raise AnswerInvalid(f"A plan can list at most {MAX_TARGETS:,} targets.")
        projects = rows.clean(data, PROJECTS, what="projects")
        seen: dict[str, str] = {}
        for i, project in enumerate(projects):
            for j, target in enumerate(project["targets"]):
                at = f"projects[{i}].targets[{j}]"
                if PROJECTS.children.empty(target):
                    continue
                if not target["code"]:
                    raise AnswerInvalid("Enter the target's number, like 1.1.", field=f"{at}.code")
                if target["code"] in seen:
                    raise AnswerInvalid(
                        f"Target {target['code']} is already listed in project "
                        f"{seen[target['code']]}.",
                        field=f"{at}.code",
                    )
                seen[target["code"]] = project["number"] or str(i + 1)
                if target["planned_saving"] == "":
                    raise AnswerInvalid(
                        "Enter the planned saving in pounds, like 153000.",
                        field=f"{at}.planned_saving",
                    )
            if not project["title"] and (
                project["number"] or project["leads"] or any(t["code"] for t in project["targets"])
            ):
                raise AnswerInvalid("Enter the project's title.", field=f"projects[{i}].title")
        return {"projects": projects}

    def figures(self, value, *, context: KindContext) -> dict:
        identified = identified_savings(context.sibling("savings_target"))
        return savings_figures(value, identified)

    def present(self, data, *, context: KindContext):
        cleaned, invalid = self.checked(data, context=context)
        source = cleaned if cleaned is not None else (data or {})
        computed = self.figures(cleaned, context=context) if cleaned is not None else None
        projects = rows.draw(source.get("projects") or [], PROJECTS)
        for project in projects:
            figures = computed["projects"][project.index] if computed is not None else None
            for target in project.children:
                saving = figures["targets"][target.index]["planned_saving"] if figures else None
                target.extra = {
                    "amount": finance.format_money(saving) if saving is not None else ""
                }
            total = figures["total"] if figures else None
            project.extra = {
                "targets": project.children,
                "total": total,
                "total_display": finance.format_money(total) if total is not None else "",
            }
        identified = computed["total_identified_savings"] if computed is not None else None
        screen = {
            "projects": projects,
            "computed": computed is not None,
            "error": rows.place_error(rows.all_fields(projects), invalid),
            "invalid": invalid is not None,
            "identified_display": (
                finance.format_compact_money(identified, millions_places=3) if identified else ""
            ),
        }
        if computed is not None:
            screen.update(savings_display(computed), target_count=computed["target_count"])
        return screen
