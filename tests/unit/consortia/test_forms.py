"""Each empty field of the people and position forms says what to enter, in words."""

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
        "started_on": ["Enter the day they hold it from, for example 1/4/2007"],
    }
