from consortia import plain_forms

from .forms import UploadField
from .word_files import MAX_WORD_BYTES, MAX_WORD_LABEL


class WordUploadForm(plain_forms.Form):
    file = UploadField(
        label="Upload the Word document",
        help_text=(
            f"A Word document (.docx) of up to {MAX_WORD_LABEL}. Nothing in the plan changes "
            "until you have checked what was found and chosen what to import."
        ),
        what="the Word document you want to import",
        accept=".docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        max_bytes=MAX_WORD_BYTES,
        size_label=MAX_WORD_LABEL,
    )
