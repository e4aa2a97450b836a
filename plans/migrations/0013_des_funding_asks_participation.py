"""DacCom's DES question pays "practices who confirm their participation": its stored copies say
so with the des_funding parameter ``participation: confirmed``, as its definition files now do,
so the practices' table keeps printing there and nowhere else (docs/decisions/0329). Reversed,
the parameter goes again."""

from django.db import migrations

FAMILY = "daccom-locality-plan"


def _des_questions(apps):
    TemplateQuestion = apps.get_model("plans", "TemplateQuestion")
    return TemplateQuestion.objects.filter(kind="des_funding", template__family=FAMILY)


def forwards(apps, schema_editor):
    for question in _des_questions(apps):
        parameters = dict(question.parameters or {})
        if "participation" not in parameters:
            parameters["participation"] = "confirmed"
            question.parameters = parameters
            question.save(update_fields=["parameters"])


def backwards(apps, schema_editor):
    for question in _des_questions(apps):
        parameters = dict(question.parameters or {})
        if parameters.pop("participation", None) is not None:
            question.parameters = parameters
            question.save(update_fields=["parameters"])


class Migration(migrations.Migration):
    dependencies = [("plans", "0012_participation")]

    operations = [migrations.RunPython(forwards, backwards)]
