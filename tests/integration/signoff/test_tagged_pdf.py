"""The signed PDF is tagged for screen readers (PDF/UA-1): headings and tables in its
structure tree, its title displayed, its language set; the seal over it still verifies."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject

from signoff import seal, services
from signoff.canonical import content_sha256
from tests.integration.signoff.pdf_helpers import signed_plan

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def structure_types(node, found: set[str]) -> set[str]:
    """Every structure type (/S) under ``node`` of the structure tree."""
    node = node.get_object()
    if isinstance(node, ArrayObject):
        for child in node:
            structure_types(child, found)
    elif isinstance(node, DictionaryObject):
        if "/S" in node:
            found.add(str(node["/S"]).lstrip("/"))
        if "/K" in node:
            structure_types(node["/K"], found)
    return found


@pytest.fixture
def sealed_pdf(django_capture_on_commit_callbacks) -> bytes:
    plan = signed_plan()
    with django_capture_on_commit_callbacks(execute=True):
        document = services.signed_pdf_request(plan=plan, content_sha256=content_sha256(plan))
    document.refresh_from_db()
    return bytes(document.pdf)


def test_the_sealed_pdf_has_headings_and_tables_in_its_structure_tree(sealed_pdf):
    catalog = PdfReader(BytesIO(sealed_pdf)).trailer["/Root"]

    types = structure_types(catalog["/StructTreeRoot"], set())

    assert {"H1", "H2", "H3"} <= types
    assert {"Table", "TR", "TH", "TD"} <= types
    assert str(catalog["/Lang"]) == "en-GB"
    assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"])
    assert bool(catalog["/MarkInfo"]["/Marked"])


def test_the_tagged_pdf_is_still_sealed_and_verifies_on_the_verify_page(sealed_pdf, client):
    assert seal.verify_pdf(sealed_pdf).valid

    upload = SimpleUploadedFile("plan.pdf", sealed_pdf, "application/pdf")
    response = client.post(reverse("verify"), {"file": upload})

    page = response.content.decode()
    assert response.status_code == 200
    assert "This is a plan this service sealed" in page
    assert "has not been altered" in page
