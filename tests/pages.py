"""Reading a form page as its user meets it."""

import re


def refused_on(response, name: str, message: str) -> bool:
    """Whether the page says ``message`` and marks the input ``name`` as the one refused."""
    page = response.content.decode()
    field = re.search(rf'<input[^>]*name="{name}"[^>]*>', page)
    return message in page and field is not None and 'aria-invalid="true"' in field[0]


def announced(response) -> list[str]:
    """The texts of the page's results that are read out as they appear and take focus on
    arrival (components/message.html), tags and the hidden "Information:" left out."""
    page = response.content.decode()
    results = re.findall(
        r'<div class="nhsuk-inset-text app-message" role="alert" tabindex="-1">(.*?)</div>',
        page,
        re.S,
    )
    return [
        " ".join(re.sub(r"<[^>]+>", " ", result).replace("Information:", "").split())
        for result in results
    ]


def without_tokens(page: str) -> str:
    """The page without what each response has of its own: its form token and its nonce."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"|nonce="[^"]+"', "", page)
