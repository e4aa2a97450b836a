from django import forms

from .word_files import MAX_WORD_BYTES, MAX_WORD_LABEL


class WordUploadForm(forms.Form):
    file = forms.FileField(
        label="Upload the Word document",
        help_text=(
            f"A Word document (.docx) of up to {MAX_WORD_LABEL}. Nothing in the plan changes "
            "until you have checked what was found and chosen what to import."
        ),
        widget=forms.FileInput(
            attrs={
                "accept": ".docx,application/vnd.openxmlformats-officedocument."
                "wordprocessingml.document"
            }
        ),
        error_messages={
            "required": "Select the Word document you want to import",
            "empty": "The selected file is empty",
            "invalid": "Select the Word document you want to import",
        },
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_WORD_BYTES:
            raise forms.ValidationError(f"The selected file must be smaller than {MAX_WORD_LABEL}")
        return upload
