"""Rotating the seal: the replaced certificate stays on record, so what it sealed still
verifies as sealed, and the verification page names the certificate that sealed each file."""

import html
from datetime import UTC, datetime, timedelta
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from signoff import seal
from signoff.models import SealCertificate
from signoff.seal_certificates import seal_certificate_current
from signoff.verification import Outcome, verify_upload
from tests.review_factories import issued_pdf, three_signatory_plan

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def own_seal(tmp_path, settings):
    """A seal of this test's own, so rotating it leaves the run's certificate alone."""
    settings.PDF_SEAL_KEY_PATH = tmp_path / "seal" / "key.pem"
    settings.PDF_SEAL_CERT_PATH = tmp_path / "seal" / "certificate.pem"
    call_command("make_seal_certificate", stdout=StringIO())
    return tmp_path


def current_fingerprint() -> str:
    return seal.fingerprint(seal.our_certificate())


def test_a_pdf_sealed_before_a_rotation_still_verifies_and_each_names_its_certificate(
    own_seal, client
):
    first_fingerprint = current_fingerprint()
    before = issued_pdf(three_signatory_plan())

    out = StringIO()
    call_command("rotate_seal_certificate", stdout=out)
    after = issued_pdf(three_signatory_plan())
    old, new = verify_upload(before), verify_upload(after)

    assert current_fingerprint() != first_fingerprint
    assert f"Kept on record: Common Name: {seal.DEVELOPMENT_SUBJECT}" in out.getvalue()
    assert first_fingerprint in out.getvalue() and current_fingerprint() in out.getvalue()
    assert old.outcome == new.outcome == Outcome.SEALED
    assert old.seal.valid and new.seal.valid
    assert old.seal.signer_fingerprint == first_fingerprint
    assert new.seal.signer_fingerprint == current_fingerprint()
    assert old.certificate.replaced_at is not None and new.certificate.replaced_at is None
    assert seal.DEVELOPMENT_SUBJECT in old.seal.signer_subject
    page = html.unescape(
        client.post(
            "/verify/", {"file": SimpleUploadedFile("old.pdf", before, "application/pdf")}
        ).content.decode()
    )
    assert "This is a plan this service sealed" in page
    assert first_fingerprint in page and "Replaced on" in page
    assert old.seal.signer_valid_until.strftime("%-d %B %Y") in page


def test_without_the_record_a_pdf_sealed_by_a_replaced_certificate_is_not_ours(own_seal):
    before = issued_pdf(three_signatory_plan())
    call_command("rotate_seal_certificate", stdout=StringIO())
    SealCertificate.objects.exclude(fingerprint_sha256=current_fingerprint()).delete()

    checked = verify_upload(before)

    assert not checked.seal.ours and not checked.seal.valid


def test_a_new_pair_that_does_not_belong_together_is_refused_and_nothing_changes(own_seal):
    elsewhere = own_seal / "elsewhere"
    seal.make_development_certificate(
        key_file=elsewhere / "a-key.pem", certificate_file=elsewhere / "a-cert.pem"
    )
    seal.make_development_certificate(
        key_file=elsewhere / "b-key.pem", certificate_file=elsewhere / "b-cert.pem"
    )
    fingerprint = current_fingerprint()

    with pytest.raises(CommandError, match="could not be read together"):
        call_command(
            "rotate_seal_certificate",
            key=elsewhere / "a-key.pem",
            certificate=elsewhere / "b-cert.pem",
        )

    assert current_fingerprint() == fingerprint
    assert not SealCertificate.objects.exists()


def test_a_given_pair_is_installed_at_the_configured_paths(own_seal, settings):
    elsewhere = own_seal / "elsewhere"
    seal.make_development_certificate(
        key_file=elsewhere / "key.pem", certificate_file=elsewhere / "cert.pem"
    )
    replaced = current_fingerprint()

    call_command(
        "rotate_seal_certificate",
        key=elsewhere / "key.pem",
        certificate=elsewhere / "cert.pem",
        stdout=StringIO(),
    )

    assert settings.PDF_SEAL_CERT_PATH.read_bytes() == (elsewhere / "cert.pem").read_bytes()
    assert settings.PDF_SEAL_KEY_PATH.read_bytes() == (elsewhere / "key.pem").read_bytes()
    assert settings.PDF_SEAL_KEY_PATH.stat().st_mode & 0o077 == 0
    on_record = dict(SealCertificate.objects.values_list("fingerprint_sha256", "replaced_at"))
    assert on_record.keys() == {replaced, current_fingerprint()}
    assert on_record[replaced] is not None and on_record[current_fingerprint()] is None


def test_a_replaced_certificate_that_has_since_expired_still_verifies_what_it_sealed(
    own_seal, settings
):
    now = datetime.now(UTC)
    seal.make_development_certificate(
        key_file=settings.PDF_SEAL_KEY_PATH,
        certificate_file=settings.PDF_SEAL_CERT_PATH,
        force=True,
        not_before=now - timedelta(days=400),
        not_after=now - timedelta(days=30),
    )
    # Sealed while the certificate was in use; it was replaced before it expired.
    seal_certificate_current()
    before = issued_pdf(three_signatory_plan())
    call_command("rotate_seal_certificate", stdout=StringIO())
    SealCertificate.objects.filter(replaced_at__isnull=False).update(
        replaced_at=now - timedelta(days=60)
    )

    checked = verify_upload(before)

    assert checked.outcome == Outcome.SEALED
    assert checked.seal.valid, checked.seal.problem
    assert checked.seal.signer_valid_until < now
