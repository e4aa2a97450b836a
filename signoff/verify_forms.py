from django import forms

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_UPLOAD_LABEL = "20 MB"
# A PDF starts with "%PDF-", possibly after a little junk that readers tolerate.
PDF_MARKER_WITHIN = 1024
TOO_LARGE = f"The selected file must be smaller than {MAX_UPLOAD_LABEL}"


class VerifyForm(forms.Form):
    file = forms.FileField(
        label="Upload the plan's PDF",
        help_text=f"A PDF of up to {MAX_UPLOAD_LABEL}. It is checked and not kept.",
        widget=forms.FileInput(attrs={"accept": "application/pdf,.pdf"}),
        error_messages={
            "required": "Select the PDF you want to check",
            "empty": "The selected file is empty",
            "invalid": "Select the PDF you want to check",
        },
    )

    @classmethod
    def too_large(cls) -> "VerifyForm":
        """The form as shown when the upload was refused unread, for its size."""
        form = cls(data={}, files={})
        form.is_valid()
        form.errors["file"] = form.error_class([TOO_LARGE])
        return form

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"The selected file must be smaller than {MAX_UPLOAD_LABEL}"
            )
        head = upload.read(PDF_MARKER_WITHIN)
        upload.seek(0)
        if b"%PDF-" not in head:
            raise forms.ValidationError("The selected file must be a PDF")
        return upload
