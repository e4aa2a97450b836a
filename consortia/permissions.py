"""Who may do what, named once.

Each capability in ``Perm`` is granted by a rules predicate of (user, object): the user's access
role must allow the action, and the object (a consortium, a PCT, or anything with a
``consortium``) must be inside the user's scope. Whether the plan's state allows the action is
the workflow's business (plans/workflow.py), not this module's.
"""

import enum

import rules

from . import selectors
from .models import Commissioner, Consortium, User

Role = User.Role


class Perm(enum.StrEnum):
    VIEW = "consortia.view"
    EDIT_CONSORTIUM_SECTIONS = "consortia.edit_consortium_sections"
    EDIT_PCT_SECTIONS = "consortia.edit_pct_sections"
    COMMENT = "consortia.comment"
    SUBMIT = "consortia.submit"
    REVIEW = "consortia.review"
    APPROVE = "consortia.approve"
    SIGN = "consortia.sign"
    EXPORT = "consortia.export"
    ASSIGN_POSITIONS = "consortia.assign_positions"
    ADMINISTER = "consortia.administer"
    MANAGE_PEOPLE = "consortia.manage_people"
    ASSIGN_SECTIONS = "consortia.assign_sections"
    CONFIRM_PARTICIPATION = "consortia.confirm_participation"
    RECORD_PARTICIPATION = "consortia.record_participation"
    LOAD_FORMS = "consortia.load_forms"


def consortium_of(obj) -> Consortium | None:
    if isinstance(obj, Consortium):
        return obj
    return getattr(obj, "consortium", None)


def commissioner_id_of(obj) -> int | None:
    if isinstance(obj, Commissioner):
        return obj.pk
    consortium = consortium_of(obj)
    return consortium.commissioner_id if consortium is not None else None


def has_role(*roles):
    names = frozenset(roles)

    @rules.predicate(name=f"has_role({', '.join(sorted(names))})")
    def predicate(user):
        return user.is_authenticated and user.is_active and user.role in names

    return predicate


@rules.predicate
def in_own_consortium(user, obj):
    consortium = consortium_of(obj)
    return consortium is not None and user.consortium_id == consortium.pk


@rules.predicate
def in_own_commissioner(user, obj):
    commissioner_id = commissioner_id_of(obj)
    return commissioner_id is not None and user.commissioner_id == commissioner_id


is_consortium_editor = has_role(Role.CONSORTIUM_EDITOR)
is_consortium_chair = has_role(Role.CONSORTIUM_EXECUTIVE_CHAIR)
is_consortium_member = has_role(Role.CONSORTIUM_EDITOR, Role.CONSORTIUM_EXECUTIVE_CHAIR)
is_pct_lead = has_role(Role.PCT_LEAD)
is_pct_member = has_role(*User.COMMISSIONER_ROLES)
is_site_admin = has_role(Role.SITE_ADMIN)

consortium_member_here = is_consortium_member & in_own_consortium


@rules.predicate
def leads_the_practice(user, practice):
    """``practice`` is a Practice or anything with its ``lead_id`` (a page's standing row)."""
    lead_id = getattr(practice, "lead_id", None)
    return lead_id is not None and lead_id == user.pk


pct_member_here = is_pct_member & in_own_commissioner


@rules.predicate
def holds_a_position_here(user, obj):
    """Signing follows the positions a person holds, not their access role: the form names the
    positions that sign (a PCT's Director of Finance, the consortium's chair)."""
    consortium = consortium_of(obj)
    if consortium is None:
        return False
    return selectors.holds_a_position(
        user, commissioner_id=consortium.commissioner_id, consortium_id=consortium.pk
    )


RULES = {
    Perm.VIEW: consortium_member_here | pct_member_here | is_site_admin,
    Perm.EDIT_CONSORTIUM_SECTIONS: consortium_member_here,
    Perm.EDIT_PCT_SECTIONS: is_pct_lead & in_own_commissioner,
    Perm.COMMENT: consortium_member_here | pct_member_here,
    Perm.SUBMIT: consortium_member_here,
    Perm.REVIEW: is_pct_lead & in_own_commissioner,
    Perm.APPROVE: is_pct_lead & in_own_commissioner,
    Perm.SIGN: (consortium_member_here | pct_member_here) & holds_a_position_here,
    Perm.EXPORT: is_consortium_chair & in_own_consortium,
    # The PCT's lead assigns its positions and its consortia's; a consortium's chair its own.
    Perm.ASSIGN_POSITIONS: (is_pct_lead & in_own_commissioner)
    | (is_consortium_chair & in_own_consortium)
    | is_site_admin,
    Perm.ADMINISTER: is_site_admin,
    # The PCT's lead runs the people of the PCT and its consortia; a consortium's chair its own
    # (which roles each may give is services.roles_grantable; docs/decisions/0451).
    Perm.MANAGE_PEOPLE: (is_pct_lead & in_own_commissioner)
    | (is_consortium_chair & in_own_consortium)
    | is_site_admin,
    # The consortium's chair or an editor gives its parts to its people (docs/decisions/0434).
    Perm.ASSIGN_SECTIONS: consortium_member_here,
    # A practice's named lead confirms it signed in; the PCT records a practice's letter
    # (docs/decisions/0435).
    Perm.CONFIRM_PARTICIPATION: is_consortium_member & leads_the_practice,
    Perm.RECORD_PARTICIPATION: pct_member_here,
    # A PCT's lead loads its own plan forms from definition files; the site administrator loads
    # any PCT's in the admin (docs/decisions/0469).
    Perm.LOAD_FORMS: is_pct_lead & in_own_commissioner,
}

for _perm, _predicate in RULES.items():
    rules.add_perm(_perm.value, _predicate)


def allowed(user, perm: Perm, obj=None) -> bool:
    # Asks the rules directly rather than user.has_perm, which answers True to every question
    # for a superuser: a site administrator must not sign or approve a plan
    # (docs/decisions/0101-permissions-ignore-superuser.md).
    return rules.has_perm(perm.value, user, obj)
