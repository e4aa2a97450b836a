"""Forms for the organisation admin: practices, the CSV import and user accounts."""

from django import forms
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

from .models import Practice, User
from .services import MAX_IMPORT_BYTES

PRACTICE_ERRORS = {
    "code": {"unique": "Another practice already has this practice code."},
    "list_size": {"min_value": "A list size cannot be negative."},
}


class PracticeForm(forms.ModelForm):
    class Meta:
        model = Practice
        fields = ("name", "code", "list_size", "sites", "is_demo", "position")
        error_messages = PRACTICE_ERRORS


class PracticeImportForm(forms.Form):
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


class UserAddForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name", "role", "commissioner", "consortium")


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"
