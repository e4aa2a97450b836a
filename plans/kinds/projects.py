"""Projects and targets with planned savings (DacCom 4.2): totals per project and for the
plan, and the plan's share of the PCT's Total Identified Savings (4.4), never typed."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass

from .. import finance
from ..errors import AnswerInvalid
from . import rows
from .base import NO_PLAN, KindContext
from .rows import MONEY, NAMES, Column, ListKind, RowSpec
from .savings_target import identified_savings, savings_display, savings_figures

MAX_TARGETS = 5000
#: Projects on one page of the part and question pages: a plan at the limit (500 projects,
#: 5,000 targets) is 11 MB of inputs on one page. The PDF and every total take all of them.
PROJECTS_A_PAGE = 20
_PROJECT_INDEX = re.compile(r"projects\[(\d+)\]")
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
            Column("code", "Number", width="4", heading="Target"),
            Column("title", "Title"),
            Column(
                "planned_saving", "Planned saving in pounds", MONEY, width="10",
                said="The planned saving", heading="Planned saving",
            ),
        ),
        add_words="Add a target",
        none_yet="No targets yet.",
    ),
)  # fmt: skip


@dataclass(frozen=True)
class ProjectsPage:
    """Which projects a page shows: the ``first`` to the ``last`` (counted from 1) of ``of``."""

    number: int
    count: int
    first: int
    last: int
    of: int

    @property
    def previous(self) -> int | None:
        return self.number - 1 if self.number > 1 else None

    @property
    def next(self) -> int | None:
        return self.number + 1 if self.number < self.count else None


def projects_page(number: int, total: int) -> ProjectsPage:
    """Page ``number`` of ``total`` projects, a number past either end taken as that end."""
    count = max(1, -(-total // PROJECTS_A_PAGE))
    number = min(max(1, number), count)
    first = (number - 1) * PROJECTS_A_PAGE
    return ProjectsPage(number, count, first + 1, min(first + PROJECTS_A_PAGE, total), total)


class ProjectsKind(ListKind):
    template_name = "plans/structured/projects.html"
    spec = PROJECTS
    #: the page a web page shows (``on_page``); None shows every project (PDF, exports)
    page: int | None = None

    def on_page(self, number: int) -> ProjectsKind:
        kind = copy.copy(self)
        kind.page = number
        return kind

    def page_of(self, name: str, value: dict) -> int | None:
        listed = (value or {}).get(PROJECTS.name) or []
        found = _PROJECT_INDEX.match(name)
        if found is None or len(listed) <= PROJECTS_A_PAGE:
            return None
        return int(found[1]) // PROJECTS_A_PAGE + 1

    def value_from_post(self, post, *, prefix, current):
        """A page of projects posts only its own (``projects.start`` says where they begin):
        the projects on other pages are kept as saved, and row buttons name projects by their
        place in the whole list."""
        start_name = f"{prefix}-{PROJECTS.name}.start"
        if start_name not in post or not rows.posted(post, prefix=prefix, spec=PROJECTS):
            return super().value_from_post(post, prefix=prefix, current=current)
        saved = (current or {}).get(PROJECTS.name)
        saved = [
            {**project, "targets": list(project.get("targets") or [])}
            for project in (saved if isinstance(saved, list) else [])
            if isinstance(project, dict)
        ]
        start = rows.count(post, start_name, limit=len(saved))
        page = rows.read(post, prefix=prefix, spec=PROJECTS, start=start)
        listed = saved[:start] + page + saved[start + len(page) :]
        listed, pressed = rows.apply_action(post, listed, PROJECTS)
        return {PROJECTS.name: listed}, pressed

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
        source, computed, invalid = self.for_screen(data, context=context)
        listed = source.get("projects") or []
        page = None
        if self.page is not None and len(listed) > PROJECTS_A_PAGE:
            page = projects_page(self.page, len(listed))
            listed = listed[page.first - 1 : page.last]
        projects = rows.draw(listed, PROJECTS, start=page.first - 1 if page else 0)
        for project in projects:
            figures = computed["projects"][project.index] if computed is not None else None
            for target in project.children:
                saving = figures["targets"][target.index]["planned_saving"] if figures else None
                target.extra = {
                    "amount": finance.format_money(saving) if saving is not None else ""
                }
            total = figures["total"] if figures else None
            total_display = finance.format_money(total) if total is not None else ""
            project.extra = {
                "position": project.index + 1,
                "targets": project.children,
                "total": total,
                "total_display": total_display,
                "table": rows.RowsTable(
                    PROJECTS.children,
                    project.children,
                    caption=f"Targets of project {project.index + 1}",
                    parent=project,
                    parent_spec=PROJECTS,
                    total_label="Project total" if computed is not None else "",
                    total=total_display,
                ),
            }
        identified = computed["total_identified_savings"] if computed is not None else None
        screen = {
            "projects": projects,
            "computed": computed is not None,
            "error": rows.place_error(rows.all_fields(projects), invalid),
            "invalid": invalid is not None,
            "page": page,
            "identified_display": (
                finance.format_compact_money(identified, millions_places=3) if identified else ""
            ),
        }
        if computed is not None:
            screen.update(savings_display(computed), target_count=computed["target_count"])
        return screen
