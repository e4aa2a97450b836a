"""The seal on a signed plan's PDF: a PAdES digital signature (pyHanko) made with the
deployment's key and certificate, and its check.

The key and certificate are files named by ``PDF_SEAL_KEY_PATH`` and ``PDF_SEAL_CERT_PATH``.
``manage.py make_seal_certificate`` makes a self-signed development pair; production names
its own (docs/decisions/0202-pdf-fetcher-and-seal.md). Nothing here reaches the network:
the certificate is trusted directly and no revocation information is fetched.
"""

from __future__ import annotations

import asyncio
import hashlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from functools import cached_property, lru_cache
from io import BytesIO
from pathlib import Path

from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ec import ECDSA
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from django.conf import settings
from pyhanko.keys import (
    load_cert_from_pemder,
    load_certs_from_pemder_data,
    load_private_key_from_pemder_data,
)
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers
from pyhanko.sign.validation import SignatureCoverageLevel, async_validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pyhanko_certvalidator.registry import SimpleCertificateStore
from pyhanko_certvalidator.util import get_pyca_cryptography_hash

FIELD_NAME = "PlanSeal"
DEVELOPMENT_SUBJECT = "PBC Plans development seal (not for production)"


class SealUnavailable(Exception):
    """The seal's key or certificate cannot be read."""


def key_path() -> Path:
    return Path(settings.PDF_SEAL_KEY_PATH)


def certificate_path() -> Path:
    return Path(settings.PDF_SEAL_CERT_PATH)


class _SealSigner(signers.SimpleSigner):
    """pyHanko's in-memory signer, with the private key parsed once.

    ``SimpleSigner.sign_raw`` parses the key again (and, for RSA, checks it: about 0.17 s for
    a 3072-bit key) on every call, and a seal signs twice (the size estimate, then the real
    signature): that was most of the seal's cost. The mechanisms a seal key can have are
    signed here with the key parsed once; anything else falls back to pyHanko's own code.
    """

    @cached_property
    def _private_key(self):
        # Checked when the signer was loaded (load_private_key_from_pemder_data): not again.
        return serialization.load_der_private_key(
            self.signing_key.dump(), password=None, unsafe_skip_rsa_key_validation=True
        )

    def sign_raw(self, data: bytes, digest_algorithm: str) -> bytes:
        mechanism = self.get_signature_mechanism_for_digest(digest_algorithm)
        hash_algorithm = get_pyca_cryptography_hash(digest_algorithm)
        if mechanism.signature_algo == "rsassa_pkcs1v15":
            return self._private_key.sign(data, PKCS1v15(), hash_algorithm)
        if mechanism.signature_algo == "ecdsa":
            return self._private_key.sign(data, ECDSA(hash_algorithm))
        return super().sign_raw(data, digest_algorithm)


def _signer() -> signers.SimpleSigner:
    """The signer of the files ``PDF_SEAL_KEY_PATH`` and ``PDF_SEAL_CERT_PATH`` hold now.

    Both files are read on every seal (a few kilobytes); parsing them is cached by their
    contents, so a rotated key or certificate is used at once, even at the same path and
    within the file system's timestamp resolution.
    """
    key, certificate = key_path(), certificate_path()
    for path, what in ((key, "key"), (certificate, "certificate")):
        if not path.is_file():
            raise SealUnavailable(
                f"The PDF seal's {what} is missing at {path}. In development run "
                "`python manage.py make_seal_certificate`; in production set "
                "PDF_SEAL_KEY_PATH and PDF_SEAL_CERT_PATH to the deployment's files."
            )
    passphrase = settings.PDF_SEAL_KEY_PASSPHRASE.encode() or None
    try:
        return _parsed_signer(key.read_bytes(), certificate.read_bytes(), passphrase)
    except (ValueError, TypeError) as error:
        raise SealUnavailable(
            f"The PDF seal's key or certificate could not be read ({key}): {type(error).__name__}."
        ) from None


@lru_cache(maxsize=4)
def _parsed_signer(key: bytes, certificate: bytes, passphrase: bytes | None) -> _SealSigner:
    [signing_certificate] = load_certs_from_pemder_data(certificate)
    return _SealSigner(
        signing_cert=signing_certificate,
        signing_key=load_private_key_from_pemder_data(key, passphrase=passphrase),
        cert_registry=SimpleCertificateStore(),
    )


def _run(coroutine_function, /, *args, **kwargs):
    """Runs one of pyHanko's coroutines to the end from synchronous code.

    ``asyncio.run`` refuses to start in a thread whose event loop is already running (an async
    view, or a library such as Playwright that keeps one), so there it gets a thread of its own.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine_function(*args, **kwargs))
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine_function(*args, **kwargs)).result()


def seal_pdf(data: bytes, *, reason: str, location: str) -> bytes:
    """``data`` with a PAdES baseline B signature (SHA-256) in an invisible field, appended
    as an incremental update so the rendered bytes are kept as they are."""
    writer = IncrementalPdfFileWriter(BytesIO(data), strict=False)
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        reason=reason[:500],
        location=location[:500],
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
    )
    output = _run(signers.async_sign_pdf, writer, meta, signer=_signer())
    return output.getvalue()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- checking --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Verification:
    """What the file's seal says. ``ours`` means signed with this deployment's certificate;
    ``intact`` that the signed bytes are unchanged and the signature is mathematically valid;
    ``whole_file`` that nothing was appended after signing. The signer's subject, SHA-256
    fingerprint and validity are the certificate's that made the signature."""

    readable: bool
    sealed: bool = False
    ours: bool = False
    intact: bool = False
    trusted: bool = False
    whole_file: bool = False
    signer_subject: str = ""
    signer_fingerprint: str = ""
    signer_valid_from: datetime | None = None
    signer_valid_until: datetime | None = None
    signed_at: datetime | None = None
    problem: str = ""

    @property
    def valid(self) -> bool:
        return self.sealed and self.ours and self.intact and self.trusted and self.whole_file


def our_certificate() -> asn1_x509.Certificate | None:
    path = certificate_path()
    if not path.is_file():
        return None
    return load_cert_from_pemder(str(path))


def fingerprint(certificate: asn1_x509.Certificate) -> str:
    """The certificate's SHA-256 fingerprint, in lowercase hex."""
    return certificate.sha256.hex()


def _among(certificate: asn1_x509.Certificate, known: list[asn1_x509.Certificate]):
    """The certificate of ``known`` that is ``certificate``, or None."""
    return next((each for each in known if each.sha256 == certificate.sha256), None)


def verify_pdf(data: bytes, *, known: list[asn1_x509.Certificate] | None = None) -> Verification:
    """Check the seal of an uploaded PDF against this deployment's certificates: ``known``
    (the current one and those it replaced, signoff/seal_certificates.py), by default the
    current one alone.

    A file we sealed and someone then changed must still be recognised as ours, wherever
    the change falls: in the signed bytes (the digest no longer matches), in the signature
    itself (it no longer parses or verifies) or in the file's structure (it no longer reads
    as a PDF). So besides pyHanko's validation, ``ours`` is also true when the raw bytes
    carry our certificate's serial number as the hex of a signature; the serial appears
    twice there (in the certificate and in the signer's identifier), so one changed byte
    cannot hide it.
    """
    if known is None:
        current = our_certificate()
        known = [current] if current is not None else []
    marked = any(_bears_serial(data, each) for each in known)
    try:
        reader = PdfFileReader(BytesIO(data), strict=False)
        embedded = list(reader.embedded_signatures)
    except Exception as error:  # any damage: not a PDF we can check
        return Verification(
            readable=False,
            sealed=marked,
            ours=marked,
            problem=f"The file could not be read as a PDF ({type(error).__name__}).",
        )
    if not embedded:
        return Verification(
            readable=True, sealed=marked, ours=marked, problem="The file carries no signature."
        )
    # The seal is the last signature: anything signed after it would be someone else's.
    signature = embedded[-1]
    try:
        signer_cert = signature.signer_cert
    except Exception as error:
        return Verification(
            readable=True,
            sealed=True,
            ours=marked,
            problem=f"The signature could not be read ({type(error).__name__}).",
        )
    sealer = _among(signer_cert, known)
    validity = signer_cert["tbs_certificate"]["validity"]
    found = Verification(
        readable=True,
        sealed=True,
        ours=marked or sealer is not None,
        signer_subject=signer_cert.subject.human_friendly,
        signer_fingerprint=fingerprint(signer_cert),
        signer_valid_from=validity["not_before"].native,
        signer_valid_until=validity["not_after"].native,
    )
    if sealer is None:
        return replace(found, problem="The signature is not made with this service's seal.")
    # Trusting the one certificate that made the signature: a PDF sealed before a rotation
    # is checked against the certificate of its day, on record.
    context = ValidationContext(
        trust_roots=[sealer], allow_fetching=False, revocation_mode="soft-fail"
    )
    try:
        status = _run(async_validate_pdf_signature, signature, context)
    except Exception as error:
        return replace(
            found, problem=f"The signature could not be checked ({type(error).__name__})."
        )
    return replace(
        found,
        intact=bool(status.intact and status.valid),
        trusted=bool(status.trusted),
        whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        signed_at=status.signer_reported_dt.astimezone(UTC) if status.signer_reported_dt else None,
    )


def _bears_serial(data: bytes, certificate: asn1_x509.Certificate) -> bool:
    serial = certificate["tbs_certificate"]["serial_number"].dump().hex()
    return serial.upper().encode() in data or serial.lower().encode() in data


# --- the development certificate -------------------------------------------------------------


def make_development_certificate(
    *,
    key_file: Path,
    certificate_file: Path,
    force: bool = False,
    not_before: datetime | None = None,
    not_after: datetime | None = None,
):
    """A self-signed key and certificate for sealing in development and tests, valid from a
    day ago for five years unless told otherwise."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    if not force and (key_file.exists() or certificate_file.exists()):
        raise FileExistsError(f"A seal key or certificate already exists at {key_file.parent}.")
    key = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "GB"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, settings.SERVICE_NAME),
            x509.NameAttribute(NameOID.COMMON_NAME, DEVELOPMENT_SUBJECT),
        ]
    )
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before or now - timedelta(days=1))
        .not_valid_after(not_after or now + timedelta(days=5 * 365))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    key_file.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    certificate_file.parent.mkdir(parents=True, exist_ok=True)
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key_file.chmod(0o600)
    certificate_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    return certificate
