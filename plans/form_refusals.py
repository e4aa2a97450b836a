"""A posted form's page runs a service verb; when the service refuses, its reason is shown on
the form, which the page shows again. Here so that every app's views (signoff, plans, pbc) put
a refusal on a form in the same place."""

from contextlib import contextmanager

from .errors import refusals_of


@contextmanager
def refusals_on(form, refused: type[Exception]):
    """The block runs the verb and, after it, what its success does (say so and redirect). A
    ``refused`` exception ends the block: each refusal it carries goes on the field it names,
    or on the whole form when it names none the form has, and the view goes on to show the
    page again."""
    try:
        yield
    except refused as refusal:
        for each in refusals_of(refusal):
            field = getattr(each, "field", None)
            form.add_error(field if field in form.fields else None, each.message)
