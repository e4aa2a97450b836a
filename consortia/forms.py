"""Forms for the organisation admin: practices, the CSV import and user accounts."""

from django import forms
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

from . import plain_forms
from .models import Position, Practice, User
from .names import validate_shown_as_stored
from .services import MAX_IMPORT_BYTES

PRACTICE_ERRORS = {
    "code": {"unique": "Another practice already has this practice code."},
    "list_size": {"min_value": "A list size cannot be negative."},
}


class PracticeForm(plain_forms.ModelForm):
    class Meta:
        model = Practice
        fields = ("name", "code", "list_size", "sites", "is_demo", "position")
        error_messages = PRACTICE_ERRORS


class PracticeImportForm(plain_forms.Form):
    file = forms.FileField(
        label="CSV file of practices",
        help_text="A header row with the columns name, code, list_size; then one practice a "
        "line. Up to 1 MB.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        # Read one byte past the limit so the service can refuse an oversized file without
        # this form holding all of it in memory.
        return upload.read(MAX_IMPORT_BYTES + 1)


class UserAddForm(plain_forms.PlainMessages, AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name", "role", "commissioner", "consortium")


class UserEditForm(plain_forms.PlainMessages, UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class HolderForm(plain_forms.Form):
    """Who holds a position from which day; the holder before stops that day."""

    new_holder = forms.ModelChoiceField(
        queryset=User.objects.filter(is_active=True),
        required=False,
        label="New holder",
        help_text="Someone of this PCT or consortium. The holder before stops on the day the new "
        "one starts; signatures already given stay.",
    )
    holder_from = forms.DateField(
        required=False,
        label="Holds it from",
        help_text="For example, 31/03/2007",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Enter the day they hold it from as a date, such as 31/03/2007"},
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("new_holder") and not cleaned.get("holder_from"):
            self.add_error("holder_from", "Enter the day the new holder starts, such as 31/03/2007")
        return cleaned


class PositionForm(HolderForm, forms.ModelForm):
    class Meta:
        model = Position
        fields = ("commissioner", "consortium", "body", "name")


class AssignPositionForm(plain_forms.Form):
    """The organisation page's form: someone holds a position (new or existing) from a day."""

    position = forms.CharField(
        label="Position",
        max_length=200,
        help_text="As the plan form prints it, for example Director of Finance.",
        error_messages={"required": "Enter the position, for example Director of Finance"},
    )
    body = forms.CharField(
        label="Committee or board",
        max_length=200,
        required=False,
        help_text="For example Professional Executive Committee, for its chair.",
    )
    holder = forms.ModelChoiceField(
        queryset=User.objects.none(),
        label="Who holds it",
        error_messages={"required": "Choose who holds the position"},
    )
    started_on = forms.DateField(
        label="From",
        help_text="For example, 31/03/2007. The holder before stops that day.",
        # Asked for as the date box shows it (consortia.dates.as_typed), as every date box is.
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": "Enter the day they hold it from, such as 31/03/2007",
            "invalid": "Enter the day they hold it from as a date, such as 31/03/2007",
        },
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["holder"].queryset = people


def _role_choices(roles) -> list[tuple[str, str]]:
    return [(role.value, role.label) for role in User.Role if role in roles]


class InviteForm(plain_forms.Form):
    full_name = forms.CharField(
        label="Full name",
        max_length=200,
        validators=[validate_shown_as_stored],
        error_messages={"required": "Enter the person's full name"},
    )
    email = forms.EmailField(
        label="Email address",
        help_text="The invitation link is sent here. It works once.",
        error_messages={
            "required": "Enter the person's email address",
            "invalid": "Enter an email address like name@example.org",
        },
    )
    role = forms.ChoiceField(
        label="Role",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the person's role"},
    )

    def __init__(self, *args, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = _role_choices(roles)


class RoleForm(plain_forms.Form):
    role = forms.ChoiceField(label="New role", widget=forms.RadioSelect)

    def __init__(self, *args, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = _role_choices(roles)


class AcceptInvitationForm(plain_forms.Form):
    password1 = forms.CharField(
        label="Choose a password",
        strip=False,
        max_length=256,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 8 characters, not all digits, and not a common password.",
    )
    password2 = forms.CharField(
        label="Type the password again",
        strip=False,
        max_length=256,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def clean(self):
        cleaned = super().clean()
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", "The two passwords are not the same.")
        return cleaned
