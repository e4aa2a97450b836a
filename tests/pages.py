"""Reading a form page as its user meets it."""

import re


def refused_on(response, name: str, message: str) -> bool:
    """Whether the page says ``message`` and marks the input ``name`` as the one refused."""
    page = response.content.decode()
    field = re.search(rf'<input[^>]*name="{name}"[^>]*>', page)
    return message in page and field is not None and 'aria-invalid="true"' in field[0]
