"""The public verification page: upload a PDF, learn whether this service sealed it."""

import re

import pytest
import weasyprint
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from signoff.canonical import content_sha256
from tests.review_factories import SIGNATORIES, issued_pdf, three_signatory_plan

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]
URL = "/verify/"


@pytest.fixture
def sealed_plan():
    """A plan signed by all three, its PDF rendered, sealed and stored as the service does."""
    plan = three_signatory_plan()
    data = issued_pdf(plan, names=["Dr Ann Chair", "Dr Ben Pec", "Cara Chief"])
    return plan, data


def upload(client, data: bytes, name: str = "plan.pdf", **extra):
    return client.post(URL, {"file": SimpleUploadedFile(name, data, "application/pdf")}, **extra)


def flipped(data: bytes, at: int) -> bytes:
    changed = bytearray(data)
    changed[at] ^= 0x01
    return bytes(changed)


def test_the_page_is_open_without_signing_in(client):
    response = client.get(URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert reverse("verify") == URL
    assert "Check a signed plan" in page
    assert 'enctype="multipart/form-data"' in page and 'type="file"' in page


def test_the_sealed_file_is_recognised_with_its_plan_and_signatories(client, sealed_plan):
    plan, data = sealed_plan

    response = upload(client, data)

    page = response.content.decode()
    assert response.status_code == 200
    assert "This is a plan this service sealed" in page
    assert "has not been altered" in page
    assert plan.title in page and plan.consortium.name in page and "2006/07" in page
    for name, block in zip(["Dr Ann Chair", "Dr Ben Pec", "Cara Chief"], SIGNATORIES, strict=True):
        assert name in page and block["title"] in page
    assert content_sha256(plan) in page
    assert "This file has been altered" not in page


def test_a_typed_signature_unlike_the_account_is_shown_beside_the_accounts_name(client):
    plan = three_signatory_plan()
    data = issued_pdf(
        plan,
        names=["Mr Mark Jones", "Dr Ben Pec", "Cara Chief"],
        typed_names=["Dr Gerry Bulger", None, None],
    )

    page = upload(client, data).content.decode()

    rows = re.findall(r'<tr class="nhsuk-table__row">(.*?)</tr>', page, re.S)
    chair = next(row for row in rows if "Consortium Executive Chair" in row)
    assert "Mr Mark Jones" in chair
    assert "Typed signature: Dr Gerry Bulger" in chair
    pec = next(row for row in rows if "Joint PEC Commissioning Committee Chair" in row)
    assert "Dr Ben Pec" in pec and "Typed signature" not in pec


def test_one_flipped_byte_makes_the_page_say_altered(client, sealed_plan):
    plan, data = sealed_plan

    page = upload(client, flipped(data, len(data) // 2)).content.decode()

    assert "This file has been altered since it was sealed" in page
    assert "This is a plan this service sealed" not in page
    assert plan.title not in page


def test_a_byte_flipped_in_the_seal_itself_is_also_altered(client, sealed_plan):
    _plan, data = sealed_plan
    contents = data.rfind(b"/Contents <") + len(b"/Contents <")

    page = upload(client, flipped(data, contents + 200)).content.decode()

    assert "This file has been altered since it was sealed" in page


def test_a_pdf_we_did_not_seal_is_unknown(client, sealed_plan):
    other = weasyprint.HTML(string="<h1>Some other plan</h1>").write_pdf()

    page = upload(client, other).content.decode()

    assert "We did not seal this file" in page
    assert "This is a plan this service sealed" not in page


def test_a_file_that_is_not_a_pdf_gets_a_clear_message(client):
    response = upload(client, b"Just some text, not a PDF.", name="notes.txt")

    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page and "The selected file must be a PDF" in page


def test_no_file_gets_a_clear_message(client):
    response = client.post(URL, {})

    assert response.status_code == 400
    assert "Select the PDF you want to check" in response.content.decode()


def test_an_upload_over_the_limit_is_refused_before_it_is_read(client):
    response = upload(client, b"%PDF-1.7 small", CONTENT_LENGTH=str(25 * 1024 * 1024))

    assert response.status_code == 413
    assert "must be smaller than 20 MB" in response.content.decode()


def test_the_form_is_protected_against_cross_site_posts(sealed_plan):
    _plan, data = sealed_plan
    browser = Client(enforce_csrf_checks=True)

    form = browser.get(URL).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    forged = browser.post(URL, {"file": SimpleUploadedFile("plan.pdf", data)})
    genuine = browser.post(
        URL, {"file": SimpleUploadedFile("plan.pdf", data), "csrfmiddlewaretoken": token}
    )

    assert forged.status_code == 403
    assert genuine.status_code == 200
    assert "This is a plan this service sealed" in genuine.content.decode()


def test_checking_a_file_takes_the_same_queries_however_many_signatures(
    client, sealed_plan, django_assert_max_num_queries
):
    _plan, data = sealed_plan

    with django_assert_max_num_queries(6):
        upload(client, data)
