"""Each empty field of the people and position forms says what to enter, in words."""

from datetime import date

from consortia.forms import AssignPositionForm, InviteForm
from consortia.models import User


def test_an_empty_invitation_says_what_each_field_needs():
    form = InviteForm({}, roles=[User.Role.CONSORTIUM_EDITOR])

    assert form.errors == {
        "full_name": ["Enter the person's full name"],
        "email": ["Enter the person's email address"],
        "role": ["Choose the person's role"],
    }


def test_an_empty_position_form_says_what_each_field_needs():
    form = AssignPositionForm({}, people=User.objects.none())

    assert form.errors == {
        "position": ["Enter the position, for example Director of Finance"],
        "holder": ["Choose who holds the position"],
        "started_on": ["Enter the day they hold it from, such as 31/03/2007"],
    }


def test_the_position_form_asks_for_its_day_as_the_other_date_forms_do():
    form = AssignPositionForm(people=User.objects.none())
    field = form["started_on"]

    assert field.help_text.startswith("For example, 31/03/2007")
    assert 'type="date"' in str(field)


def test_a_day_that_is_not_a_date_is_refused_with_the_format_to_use():
    for bad in ("2007-02-30", "31st March", "2007-13-01"):
        form = AssignPositionForm({"started_on": bad}, people=User.objects.none())

        assert form.errors["started_on"] == [
            "Enter the day they hold it from as a date, such as 31/03/2007"
        ]


def test_an_iso_day_is_the_day_it_names():
    form = AssignPositionForm({"started_on": "2007-03-31"}, people=User.objects.none())
    form.is_valid()

    assert form.cleaned_data["started_on"] == date(2007, 3, 31)
