"""The self-assessment against a PCT's PBC Framework (seed 003).

The framework (levels, objectives, 56 targets, rating scale, funding per level) is data in
``plans/definitions/frameworks/<slug>.yaml``; a consortium's ratings are the answer's figures,
keyed by the framework's stable target keys. The summary per level is counted from the
ratings (plans.finance.summarise_self_assessment) under the level's own number, so the
document's slip (its Level 3 summary headed "Level 2") cannot happen. See
docs/decisions/0201-self-assessment-as-a-question-kind.md.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import cache
from pathlib import Path

import yaml

from consortia.numbers import read_number

from .. import finance
from ..errors import AnswerInvalid
from .base import (
    MONEY_PARAMETER,
    NO_PLAN,
    WHOLE_PARAMETER,
    Field,
    Kind,
    KindContext,
    Parameter,
    plain_to_rich,
    rich,
    rich_to_plain,
)
from .rows import RICH, Column, place_error

FRAMEWORKS_DIR = Path(__file__).resolve().parent.parent / "definitions" / "frameworks"
# Checked before the file system sees the name: one too long for it raises instead of missing.
FRAMEWORK_SLUG = re.compile(r"[a-z0-9][-a-z0-9]{0,99}", re.ASCII)
RATING_TAGS = {
    "OK": "nhsuk-tag--green",
    "Low": "nhsuk-tag--blue",
    "Med": "nhsuk-tag--yellow",
    "High": "nhsuk-tag--orange",
    "Critical": "nhsuk-tag--red",
}


@cache
def load_framework(slug: str) -> dict:
    if not FRAMEWORK_SLUG.fullmatch(slug) or not (FRAMEWORKS_DIR / f"{slug}.yaml").is_file():
        shown = slug if len(slug) <= 100 else f"{slug[:100]}…"
        raise AnswerInvalid(f"There is no PBC Framework called '{shown}'.")
    return yaml.safe_load((FRAMEWORKS_DIR / f"{slug}.yaml").read_text(encoding="utf-8"))


@cache
def framework_for_issuer(issuer: str) -> str:
    for path in sorted(FRAMEWORKS_DIR.glob("*.yaml")):
        if load_framework(path.stem).get("issuer") == issuer:
            return path.stem
    return ""


def target_levels(framework: dict) -> dict[str, int]:
    return {t["key"]: level["number"] for level in framework["levels"] for t in level["targets"]}


def rating_scale(framework: dict) -> list[str]:
    return [item["rating"] for item in framework["rating_scale"]]


# The inputs of each target, by the key they are stored under.
TARGET_INPUTS = {"rating": "Rating", "action": "Action or evidence"}


def input_key(target_key: str) -> str:
    """The path of a target's rating in the answer, as plans/finance.py names it."""
    return f"ratings.{target_key}"


def template_definition(slug: str) -> dict:
    """A one-question plan form for rating a consortium against the framework ``slug``."""
    framework = load_framework(slug)
    return {
        "family": f"{slug}-self-assessment",
        "issuer": framework["issuer"],
        "name": f"Self-assessment against the {framework['name']}",
        "version_label": "2006",
        "status": "published",
        "parts": [
            {
                "key": "self-assessment",
                "title": "Self-assessment against the framework",
                "guidance": (
                    f"<p>Rate the consortium against each target of the PCT's "
                    f"{framework['name']}, and give the action needed or the evidence. The "
                    f"summary per level and the funding each level brings are worked out "
                    f"from your ratings.</p>"
                ),
                "questions": [
                    {
                        "key": "self-assessment",
                        "title": "Ratings, actions and evidence",
                        "completed_by": "consortium",
                        "kind": "self_assessment",
                        "prompts": [
                            "Write your conclusions in the box below; the counts per level are "
                            "worked out from your ratings."
                        ],
                    }
                ],
            }
        ],
    }


class SelfAssessmentKind(Kind):
    template_name = "plans/structured/self_assessment.html"
    PARAMETERS = {
        "gp_session_rate": Parameter(
            MONEY_PARAMETER, "pounds a GP session, instead of the framework file's"
        ),
        "weeks_per_year": Parameter(
            WHOLE_PARAMETER,
            "the weeks a year is funded for, instead of the framework file's",
            minimum="1",
            maximum="53",
        ),
    }

    def _slug(self, data, context: KindContext) -> str:
        slug = (data or {}).get("framework") or ""
        if not slug and context.commissioner:
            slug = framework_for_issuer(context.commissioner)
        return slug

    def input_label(self, field: str) -> str:
        """A target's inputs say which target they rate: "Rating for target 1.1.1"."""
        path, _, cell = field.rpartition(".")
        if path.startswith(input_key("")) and cell in TARGET_INPUTS:
            return f"{TARGET_INPUTS[cell]} for target {path.removeprefix(input_key(''))}"
        return super().input_label(field)

    def printed_columns(self) -> dict[str, dict]:
        # A target's action and each level's funding comment are stored as HTML.
        return {
            "action": Column("action", "Action or evidence", RICH).printed,
            "funding_comments": Column("funding_comments", "Funding comments", RICH).printed,
        }

    def value_from_post(self, post, *, prefix, current):
        p = f"{prefix}-"
        slug = post.get(f"{p}framework", "") or (current or {}).get("framework", "")
        if not slug:
            return current or {}, ""
        framework = load_framework(slug)
        ratings = {}
        for key in target_levels(framework):
            name = f"{p}{input_key(key)}"
            rating, action = post.get(f"{name}.rating", ""), post.get(f"{name}.action", "")
            if rating or action.strip():
                ratings[key] = {"rating": rating, "action": plain_to_rich(action)}
        data = {
            "framework": slug,
            "ratings": ratings,
            "funding_comments": (current or {}).get("funding_comments", {}),
        }
        return data, ""

    def clean(self, data, *, context: KindContext = NO_PLAN):
        slug = self._slug(data, context)
        if not slug:
            if data.get("ratings"):
                raise AnswerInvalid("Choose the framework these ratings are against.")
            return {}
        framework = load_framework(slug)
        levels = target_levels(framework)
        scale = rating_scale(framework)
        ratings = data.get("ratings") or {}
        if not isinstance(ratings, dict):
            raise AnswerInvalid("The ratings could not be read: reload the page.")
        cleaned = {}
        for key, value in ratings.items():
            if key not in levels:
                raise AnswerInvalid(f"Target {key} is not in the framework.")
            value = value if isinstance(value, dict) else {"rating": value}
            rating = value.get("rating") or ""
            if rating and rating not in scale:
                raise AnswerInvalid(
                    f"Choose a rating from the list ({', '.join(scale)}).",
                    field=f"{input_key(key)}.rating",
                )
            action = rich(value.get("action"), field=f"{input_key(key)}.action")
            if rating or action:
                cleaned[key] = {"rating": rating, "action": action}
        comments = {
            str(level): rich(comment)
            for level, comment in (data.get("funding_comments") or {}).items()
            if rich(comment)
        }
        result = {"framework": slug, "ratings": cleaned}
        if comments:
            result["funding_comments"] = comments
        return result

    def _summary(self, framework: dict, ratings: dict) -> finance.SelfAssessmentSummary:
        scale = rating_scale(framework)
        return finance.summarise_self_assessment(
            target_levels=target_levels(framework),
            ratings={
                k: v.get("rating") or None for k, v in ratings.items() if v.get("rating") in scale
            },
            rating_scale=scale,
        )

    def figures(self, value, *, context: KindContext) -> dict:
        """The ratings counted per level and in all, and each level's funding for the
        consortium's declared population (None where the level brings none)."""
        slug = self._slug(value, context)
        if not slug:
            return {}
        framework = load_framework(slug)
        summary = self._summary(framework, value.get("ratings") or {})
        return {
            "framework": slug,
            "levels": [
                {
                    "number": level["number"],
                    "counts": dict(summary.level(level["number"]).counts),
                    "rated": summary.level(level["number"]).rated,
                    "unrated": summary.level(level["number"]).unrated,
                    "total": summary.level(level["number"]).total,
                    "funding": level_funding(
                        framework, level, context.declared_population, self.parameters
                    ),
                }
                for level in framework["levels"]
            ],
            "totals": dict(summary.totals),
            "rated": summary.rated,
            "unrated": summary.unrated,
            "total": summary.total,
        }

    def present(self, data, *, context: KindContext):
        cleaned, invalid = self.checked(data, context=context)
        source = cleaned if cleaned is not None else (data or {})
        slug = self._slug(source, context)
        if not slug:
            return {"framework": None, "error": invalid.message if invalid else ""}
        framework = load_framework(slug)
        scale = rating_scale(framework)
        ratings = source.get("ratings") or {}
        summary = self._summary(framework, ratings)
        objectives = {o["number"]: o for o in framework["objectives"]}
        population = context.declared_population
        assumptions = funding_assumptions(framework, self.parameters)
        comments = source.get("funding_comments") or {}
        all_fields, levels = [], []
        choices = [("", "Not rated"), *[(r, r) for r in scale]]
        for level in framework["levels"]:
            by_objective: dict[int, list] = {}
            for target in level["targets"]:
                rating = ratings.get(target["key"], {})
                name = input_key(target["key"])
                fields = {
                    "rating": Field(
                        f"{name}.rating",
                        self.input_label(f"{name}.rating"),
                        rating.get("rating", ""),
                        input="select",
                        choices=choices,
                    ),
                    "action": Field(
                        f"{name}.action",
                        self.input_label(f"{name}.action"),
                        rich_to_plain(rating.get("action", "")),
                        input="textarea",
                    ),
                }
                all_fields += fields.values()
                by_objective.setdefault(target["objective"], []).append(
                    {
                        "key": target["key"],
                        "text": target["text"],
                        "fields": fields,
                        "rating": rating.get("rating", ""),
                        "action": rating.get("action", ""),
                        "tag": RATING_TAGS.get(rating.get("rating", ""), "nhsuk-tag--grey"),
                    }
                )
            counts = summary.level(level["number"])
            funding = None
            total = level_funding(framework, level, population, self.parameters)
            if total is not None:
                spec = level.get("funding") or {}
                funding = {
                    "sessions": spec.get("gp_sessions_per_100k_per_week") or 0,
                    "hours": spec.get("staff_hours_per_100k_per_week") or 0,
                    "hourly_rate": finance.format_money(
                        Decimal(str(spec.get("staff_hourly_rate") or 0))
                    ),
                    "session_rate": finance.format_money(
                        read_number(str(assumptions.get("gp_session_rate", "0")))
                    ),
                    "weeks": assumptions.get("weeks_per_year"),
                    "total_display": finance.format_money(total),
                    "total_compact": finance.format_compact_money(total),
                }
            levels.append(
                {
                    "number": level["number"],
                    "title": level.get("title") or f"Level {level['number']}",
                    "resources": level.get("resources", ""),
                    "funding": funding,
                    "comment": comments.get(str(level["number"]), ""),
                    "objectives": [
                        {
                            "number": n,
                            "title": objectives.get(n, {}).get("title", ""),
                            "targets": targets,
                        }
                        for n, targets in sorted(by_objective.items())
                    ],
                    "counts": counts,
                    "count_cells": [count for _, count in counts.counts],
                }
            )
        return {
            "framework": framework,
            "slug": slug,
            "scale": scale,
            "levels": levels,
            "summary": summary,
            "total_cells": [count for _, count in summary.totals],
            "population_display": f"{population:,}" if population else "",
            "error": place_error(all_fields, invalid),
        }


def funding_assumptions(framework: dict, parameters) -> dict:
    """The GP session rate and the weeks in a year: the framework file's, unless the plan's
    template sets its own (its ``gp_session_rate`` and ``weeks_per_year`` parameters), as
    written: read with consortia.numbers, the rule the template's were checked with ("1,000")."""
    assumptions = dict(framework.get("funding_assumptions") or {})
    for name in ("gp_session_rate", "weeks_per_year"):
        if parameters.get(name):
            assumptions[name] = parameters[name]
    return assumptions


def level_funding(
    framework: dict, level: dict, population: int | None, parameters=None
) -> Decimal | None:
    """A year's funding at ``level`` for ``population``, or None where it brings none."""
    spec = level.get("funding") or {}
    if not population or not (
        spec.get("gp_sessions_per_100k_per_week") or spec.get("staff_hours_per_100k_per_week")
    ):
        return None
    assumptions = funding_assumptions(framework, parameters or {})
    return finance.framework_level_funding(
        population=population,
        gp_sessions_per_100k_per_week=Decimal(str(spec.get("gp_sessions_per_100k_per_week") or 0)),
        staff_hours_per_100k_per_week=Decimal(str(spec.get("staff_hours_per_100k_per_week") or 0)),
        gp_session_rate=read_number(str(assumptions.get("gp_session_rate", "0"))),
        staff_hourly_rate=Decimal(str(spec.get("staff_hourly_rate") or 0)),
        weeks_per_year=read_number(str(assumptions.get("weeks_per_year", 52))),
    ).total
