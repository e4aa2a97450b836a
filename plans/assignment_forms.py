from datetime import date, timedelta

from django import forms

from consortia import plain_forms
from consortia.dates import as_typed

from .models import Plan


class PersonChoiceField(forms.TypedChoiceField):
    """Lists the consortium's people but reads any person's number, so that choosing someone
    else is refused by the service with their name rather than "not a valid choice"."""

    def valid_value(self, value) -> bool:
        # A number the database's keys can hold; anything longer is not a person.
        return str(value).isdigit() and len(str(value)) <= 18


class SectionChoiceField(forms.ChoiceField):
    """Lists the parts and questions the consortium answers but reads any part or question, so
    that one not the consortium's is refused by the service saying why rather than "not a valid
    choice"."""

    def valid_value(self, value) -> bool:
        kind, _, number = str(value).partition("-")
        return kind in ("part", "question") and number.isdigit() and len(number) <= 18


class AssignForm(plain_forms.Form):
    section = SectionChoiceField(
        label="Part or question",
        error_messages={
            "required": "Choose the part or question to assign",
            "invalid_choice": "Choose a part or question from the list",
        },
    )
    assignee = PersonChoiceField(
        label="Assign to",
        coerce=int,
        error_messages={
            "required": "Choose who to assign it to",
            "invalid_choice": "Choose a person from the list",
        },
    )
    due_on = forms.DateField(label="Due date", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, plan: Plan, sections, people, today: date, **kwargs):
        """``sections``: the parts the consortium can be given, each with the questions in it
        its people answer (``assignments.assignable_sections``). The example date is one that
        could be chosen ``today``."""
        super().__init__(*args, **kwargs)
        example = as_typed(today + timedelta(weeks=2))
        self.fields["due_on"].help_text = f"For example, {example}"
        self.fields["due_on"].error_messages.update(
            required=f"Enter the due date, such as {example}",
            invalid=f"Enter the due date as a date, such as {example}",
        )
        choices = []
        for part, part_questions in sections:
            label = " ".join(bit for bit in (part.number, part.title) if bit)
            questions = [
                (f"question-{q.pk}", " ".join(bit for bit in (q.number, q.title[:100]) if bit))
                for q in part_questions
            ]
            choices.append((label, [(f"part-{part.pk}", f"All of part {label}"), *questions]))
        self.fields["section"].choices = choices
        self.fields["assignee"].choices = [("", "Choose a person")] + [
            (person.pk, person.full_name or person.email) for person in people
        ]
