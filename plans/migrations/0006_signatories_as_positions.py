"""Each stored sign-off block names positions instead of access roles (docs/definition-files.md):
{role, title} becomes {title, side, body, position, step}, one step each, as signed before.

The demo Red House form had been given a three-signature block, and a sign-off part to print it,
that its document does not have (the plan asks its clinical governance sub-committee to approve
it): where the block is exactly the invented one and nothing refers to that part, both go, and
the form ends at the sub-committee's approval, as its definition file now says.
"""

from django.db import migrations, transaction
from django.db.models import ProtectedError

# role: (side, body, position); kept in step with consortia 0004 and signoff 0006.
ROLE_POSITIONS = {
    "consortium_executive_chair": ("consortium", "", "Executive Chair"),
    "pec_committee_chair": ("pct", "Joint PEC Commissioning Committee", "Chair"),
    "pct_chief_executive": ("pct", "", "Chief Executive"),
    "consortium_editor": ("consortium", "", "Practice Manager"),
    "pct_lead": ("pct", "", "Lead"),
}
POSITION_ROLES = {position: role for role, position in ROLE_POSITIONS.items()}
RED_HOUSE = "red-house-plan"
RED_HOUSE_APPROVER = "clinical governance sub-committee"
INVENTED_FOR_RED_HOUSE = [
    {"role": "consortium_executive_chair", "title": "Executive Chair"},
    {"role": "pec_committee_chair", "title": "Joint PEC Commissioning Committee Chair"},
    {"role": "pct_chief_executive", "title": "PCT Chief Executive"},
]


INVENTED_PART = {"key": "signoff", "number": "", "title": "Sign-off"}
INVENTED_QUESTION = {
    "key": "signatures",
    "number": "",
    "title": "Signatures",
    "completed_by": "both",
    "required": False,
    "kind": "signoff",
}


def _drop_invented_part(apps, template) -> bool:
    TemplatePart = apps.get_model("plans", "TemplatePart")
    part = TemplatePart.objects.filter(template=template, **INVENTED_PART).first()
    if part is None:
        return True
    try:
        with transaction.atomic():
            part.questions.filter(**INVENTED_QUESTION).delete()
            if part.questions.exists():
                raise ProtectedError("the part holds other questions", set())
            part.delete()
    except ProtectedError:
        return False
    return True


def _restore_invented_part(apps, template) -> None:
    TemplatePart = apps.get_model("plans", "TemplatePart")
    TemplateQuestion = apps.get_model("plans", "TemplateQuestion")
    if TemplatePart.objects.filter(template=template, key=INVENTED_PART["key"]).exists():
        return
    parts = TemplatePart.objects.filter(template=template).order_by("-position")
    questions = TemplateQuestion.objects.filter(template=template).order_by("-position")
    part = TemplatePart.objects.create(
        template=template,
        position=parts.first().position + 1 if parts.exists() else 0,
        **INVENTED_PART,
    )
    TemplateQuestion.objects.create(
        template=template,
        part=part,
        position=questions.first().position + 1 if questions.exists() else 1,
        **INVENTED_QUESTION,
    )


def forward(apps, schema_editor):
    PlanTemplate = apps.get_model("plans", "PlanTemplate")
    for template in PlanTemplate.objects.all():
        if (
            template.slug == RED_HOUSE
            and template.signatories == INVENTED_FOR_RED_HOUSE
            and _drop_invented_part(apps, template)
        ):
            template.signatories = []
            template.approved_by = RED_HOUSE_APPROVER
        else:
            signatories = []
            for step, item in enumerate(template.signatories, start=1):
                side, body, position = ROLE_POSITIONS[item["role"]]
                signatories.append(
                    {
                        "title": item["title"],
                        "side": side,
                        "body": body,
                        "position": position,
                        "step": step,
                    }
                )
            template.signatories = signatories
        template.save(update_fields=["signatories", "approved_by"])


def backward(apps, schema_editor):
    PlanTemplate = apps.get_model("plans", "PlanTemplate")
    for template in PlanTemplate.objects.all():
        if template.slug == RED_HOUSE and template.approved_by == RED_HOUSE_APPROVER:
            template.signatories = INVENTED_FOR_RED_HOUSE
            template.approved_by = ""
            _restore_invented_part(apps, template)
        else:
            roles = []
            for item in template.signatories:
                role = POSITION_ROLES.get((item["side"], item["body"], item["position"]))
                if role is None:
                    raise RuntimeError(
                        f"Template {template.slug} is signed by {item['position']}, which no "
                        "access role stood for before positions: remove the template first."
                    )
                roles.append({"role": role, "title": item["title"]})
            template.signatories = roles
        template.save(update_fields=["signatories", "approved_by"])


class Migration(migrations.Migration):
    dependencies = [("plans", "0005_template_approved_by")]

    operations = [migrations.RunPython(forward, backward)]
