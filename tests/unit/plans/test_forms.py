from django_prose_editor.config import allowlist_from_extensions

from plans.forms import EDITOR_EXTENSIONS
from plans.sanitise import ALLOWED_TAGS

# What the editor reads as one of its own: <b> and <i> as bold and italic, and <h2> shifted
# to its top heading when the answer opens (plans/headings.py).
READ_AS_ANOTHER = {"b", "i", "h2"}


def test_the_editor_keeps_every_tag_the_sanitiser_keeps():
    # A tag the server keeps but the editor does not is dropped from the answer by an edit of
    # any other word in it (underlining and quotations once were).
    editor_keeps = allowlist_from_extensions(EDITOR_EXTENSIONS)["tags"]

    assert editor_keeps | READ_AS_ANOTHER == ALLOWED_TAGS
