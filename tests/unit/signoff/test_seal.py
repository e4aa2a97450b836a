"""The seal: a PAdES signature with the deployment's certificate, and its check."""

from concurrent.futures import ThreadPoolExecutor
from io import BytesIO, StringIO

import pytest
import weasyprint
from django.core.management import CommandError, call_command
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import SignatureCoverageLevel, validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from signoff import seal


@pytest.fixture(scope="module")
def plain_pdf() -> bytes:
    return weasyprint.HTML(string="<h1>A plan</h1><p>Signed content.</p>").write_pdf()


@pytest.fixture(scope="module")
def sealed(plain_pdf) -> bytes:
    return seal.seal_pdf(plain_pdf, reason="Signed plan", location="PBC Plans")


def flipped(data: bytes, at: int) -> bytes:
    changed = bytearray(data)
    changed[at] ^= 0x01
    return bytes(changed)


def test_pyhanko_validates_the_seal_as_pades_with_sha256_over_the_whole_file(sealed):
    reader = PdfFileReader(BytesIO(sealed))
    [signature] = reader.embedded_signatures
    context = ValidationContext(
        trust_roots=[seal.our_certificate()], allow_fetching=False, revocation_mode="soft-fail"
    )

    # pyHanko's blocking call starts an event loop: in a thread of its own, since the browser
    # tests' Playwright keeps one running in this thread.
    with ThreadPoolExecutor(max_workers=1) as pool:
        status = pool.submit(validate_pdf_signature, signature, context).result()

    assert status.bottom_line and status.intact and status.valid and status.trusted
    assert status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    assert status.md_algorithm == "sha256"
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"
    assert signature.sig_object["/Reason"] == "Signed plan"
    assert seal.DEVELOPMENT_SUBJECT in status.signing_cert.subject.human_friendly


def test_the_seal_keeps_the_rendered_bytes_and_appends_to_them(plain_pdf, sealed):
    assert sealed.startswith(plain_pdf)
    assert len(sealed) > len(plain_pdf)


def test_verify_reports_a_sealed_file_as_ours_intact_and_whole(sealed):
    verification = seal.verify_pdf(sealed)

    assert verification.valid
    assert verification.sealed and verification.ours and verification.intact
    assert verification.trusted and verification.whole_file
    assert seal.DEVELOPMENT_SUBJECT in verification.signer_subject
    assert verification.signed_at is not None


def test_one_flipped_byte_in_the_signed_content_breaks_the_seal(sealed):
    verification = seal.verify_pdf(flipped(sealed, len(sealed) // 3))

    assert verification.sealed and verification.ours
    assert not verification.intact and not verification.valid


def test_a_file_we_sealed_stays_recognisable_as_ours_wherever_a_byte_is_flipped(sealed):
    positions = range(0, len(sealed), max(1, len(sealed) // 400))

    outcomes = [seal.verify_pdf(flipped(sealed, at)) for at in positions]

    assert all(v.ours for v in outcomes), [
        at for at, v in zip(positions, outcomes, strict=True) if not v.ours
    ]
    # Only bytes outside what the signature covers (its own padding) leave it intact; the
    # verification page still calls such a file altered, as its SHA-256 is not one we issued.
    assert sum(not v.intact for v in outcomes) > len(outcomes) * 0.8


def test_an_unsigned_pdf_is_not_ours(plain_pdf):
    verification = seal.verify_pdf(plain_pdf)

    assert verification.readable and not verification.sealed and not verification.ours


def test_a_pdf_sealed_with_another_certificate_is_not_ours(plain_pdf, tmp_path, settings):
    seal.make_development_certificate(
        key_file=tmp_path / "key.pem", certificate_file=tmp_path / "certificate.pem"
    )
    ours = settings.PDF_SEAL_KEY_PATH, settings.PDF_SEAL_CERT_PATH
    settings.PDF_SEAL_KEY_PATH = tmp_path / "key.pem"
    settings.PDF_SEAL_CERT_PATH = tmp_path / "certificate.pem"
    theirs = seal.seal_pdf(plain_pdf, reason="Someone else's", location="Elsewhere")
    settings.PDF_SEAL_KEY_PATH, settings.PDF_SEAL_CERT_PATH = ours

    verification = seal.verify_pdf(theirs)

    assert verification.sealed and not verification.ours and not verification.valid


def test_a_file_that_is_not_a_pdf_is_unreadable_and_not_ours():
    verification = seal.verify_pdf(b"Hello, this is not a PDF at all.")

    assert not verification.readable and not verification.ours


def test_sealing_without_a_key_says_how_to_make_one(plain_pdf, tmp_path, settings):
    settings.PDF_SEAL_KEY_PATH = tmp_path / "missing-key.pem"

    with pytest.raises(seal.SealUnavailable, match="make_seal_certificate"):
        seal.seal_pdf(plain_pdf, reason="x", location="y")


# --- the development certificate command ----------------------------------------------------


def test_the_command_creates_a_key_and_certificate_and_refuses_to_overwrite(tmp_path, settings):
    settings.PDF_SEAL_KEY_PATH = tmp_path / "seal" / "key.pem"
    settings.PDF_SEAL_CERT_PATH = tmp_path / "seal" / "certificate.pem"

    call_command("make_seal_certificate", stdout=StringIO())
    key = settings.PDF_SEAL_KEY_PATH.read_bytes()
    certificate = settings.PDF_SEAL_CERT_PATH.read_bytes()

    assert key.startswith(b"-----BEGIN PRIVATE KEY-----")
    assert certificate.startswith(b"-----BEGIN CERTIFICATE-----")
    assert settings.PDF_SEAL_KEY_PATH.stat().st_mode & 0o077 == 0
    with pytest.raises(CommandError, match="--force"):
        call_command("make_seal_certificate")
    assert settings.PDF_SEAL_KEY_PATH.read_bytes() == key
    call_command("make_seal_certificate", if_missing=True, stdout=StringIO())
    assert settings.PDF_SEAL_CERT_PATH.read_bytes() == certificate
    call_command("make_seal_certificate", force=True, stdout=StringIO())
    assert settings.PDF_SEAL_CERT_PATH.read_bytes() != certificate


def test_a_pdf_sealed_with_the_made_certificate_verifies(plain_pdf, tmp_path, settings):
    settings.PDF_SEAL_KEY_PATH = tmp_path / "key.pem"
    settings.PDF_SEAL_CERT_PATH = tmp_path / "certificate.pem"
    call_command("make_seal_certificate", stdout=StringIO())

    assert seal.verify_pdf(seal.seal_pdf(plain_pdf, reason="r", location="l")).valid


def test_a_key_replaced_at_the_same_path_seals_the_next_pdf_at_once(plain_pdf, tmp_path, settings):
    settings.PDF_SEAL_KEY_PATH = tmp_path / "key.pem"
    settings.PDF_SEAL_CERT_PATH = tmp_path / "certificate.pem"
    call_command("make_seal_certificate", stdout=StringIO())
    first = seal.verify_pdf(seal.seal_pdf(plain_pdf, reason="r", location="l"))

    # Rewritten in place within moments: the same paths, and likely the same timestamps.
    call_command("make_seal_certificate", force=True, stdout=StringIO())
    second = seal.verify_pdf(seal.seal_pdf(plain_pdf, reason="r", location="l"))

    assert first.valid and second.valid
    assert second.signer_fingerprint == seal.fingerprint(seal.our_certificate())
    assert second.signer_fingerprint != first.signer_fingerprint


def test_sealing_again_with_the_same_files_reads_the_key_once(plain_pdf, tmp_path, settings):
    settings.PDF_SEAL_KEY_PATH = tmp_path / "key.pem"
    settings.PDF_SEAL_CERT_PATH = tmp_path / "certificate.pem"
    call_command("make_seal_certificate", stdout=StringIO())
    seal.seal_pdf(plain_pdf, reason="r", location="l")
    parsed_before = seal._parsed_signer.cache_info().misses

    sealed_again = seal.seal_pdf(plain_pdf, reason="r", location="l")

    assert seal._parsed_signer.cache_info().misses == parsed_before
    assert seal.verify_pdf(sealed_again).valid


def test_a_key_that_is_not_a_key_makes_the_seal_unavailable(plain_pdf, tmp_path, settings):
    settings.PDF_SEAL_KEY_PATH = tmp_path / "key.pem"
    settings.PDF_SEAL_CERT_PATH = tmp_path / "certificate.pem"
    call_command("make_seal_certificate", stdout=StringIO())
    settings.PDF_SEAL_KEY_PATH.write_bytes(b"-----BEGIN PRIVATE KEY-----\nnot a key\n")

    with pytest.raises(seal.SealUnavailable, match="could not be read"):
        seal.seal_pdf(plain_pdf, reason="x", location="y")
