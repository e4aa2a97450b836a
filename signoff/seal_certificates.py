"""The seal certificates on record: the one sealing now and every one it replaced, so a PDF
sealed before a rotation still verifies as sealed, naming its certificate
(docs/decisions/0371). The keys never come here: only the public certificates are kept.

pyHanko is imported with ``seal``, so only the render, the verification and the commands load
this module.
"""

import shutil
from datetime import UTC, datetime
from pathlib import Path

from asn1crypto import pem
from asn1crypto import x509 as asn1_x509
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import seal
from .models import SealCertificate


class RotationRefused(Exception):
    """The new key and certificate cannot take over sealing; the message says why."""


def seal_certificate_record(certificate: asn1_x509.Certificate) -> SealCertificate:
    """``certificate`` on record (once, by its fingerprint)."""
    validity = certificate["tbs_certificate"]["validity"]
    record, _ = SealCertificate.objects.get_or_create(
        fingerprint_sha256=seal.fingerprint(certificate),
        defaults={
            "subject": certificate.subject.human_friendly[:500],
            "serial_number": format(certificate.serial_number, "x"),
            "not_valid_before": validity["not_before"].native.astimezone(UTC),
            "not_valid_after": validity["not_after"].native.astimezone(UTC),
            "pem": pem.armor("CERTIFICATE", certificate.dump()).decode(),
        },
    )
    return record


def seal_certificate_current() -> SealCertificate | None:
    """The certificate sealing now (from the deployment's file), put on record if new."""
    certificate = seal.our_certificate()
    return seal_certificate_record(certificate) if certificate is not None else None


def seal_certificates_known() -> list[asn1_x509.Certificate]:
    """The current certificate and every one on record, for checking a seal."""
    current = seal.our_certificate()
    known = [current] if current is not None else []
    for record in SealCertificate.objects.all():
        certificate = asn1_x509.Certificate.load(pem.unarmor(record.pem.encode())[2])
        if current is None or certificate.sha256 != current.sha256:
            known.append(certificate)
    return known


def seal_certificate_of(fingerprint: str) -> SealCertificate | None:
    return SealCertificate.objects.filter(fingerprint_sha256=fingerprint).first()


def seal_certificate_rotate(
    *, key_file: Path | None = None, certificate_file: Path | None = None
) -> tuple[SealCertificate | None, SealCertificate]:
    """Puts the current certificate on record as replaced and installs a new key and
    certificate at the configured paths: the given pair, or a new development pair.

    The old certificate is recorded before any file is touched, so whatever happens next,
    what it sealed still verifies.
    """
    if (key_file is None) != (certificate_file is None):
        raise RotationRefused("Give both the new key and the new certificate, or neither.")
    if key_file is not None:
        _check_pair(key_file, certificate_file)
    old = seal_certificate_current()
    if key_file is None:
        seal.make_development_certificate(
            key_file=seal.key_path(), certificate_file=seal.certificate_path(), force=True
        )
    else:
        _install(key_file, seal.key_path(), private=True)
        _install(certificate_file, seal.certificate_path(), private=False)
    with transaction.atomic():
        new = seal_certificate_current()
        if old is not None and old.pk != new.pk:
            old.replaced_at = timezone.now()
            old.save(update_fields=["replaced_at"])
    return old, new


def _check_pair(key_file: Path, certificate_file: Path) -> None:
    """Refuses a pair that could not seal: unreadable, not each other's, or expired."""
    from cryptography import x509
    from cryptography.hazmat.primitives import serialization

    for path, what in ((key_file, "key"), (certificate_file, "certificate")):
        if not path.is_file():
            raise RotationRefused(f"The new {what} is not a file: {path}.")
    passphrase = settings.PDF_SEAL_KEY_PASSPHRASE.encode() or None
    try:
        key = serialization.load_pem_private_key(key_file.read_bytes(), password=passphrase)
        certificate = x509.load_pem_x509_certificate(certificate_file.read_bytes())
    except (ValueError, TypeError) as error:
        raise RotationRefused(
            f"The new key and certificate could not be read as PEM ({error})."
        ) from None
    spki = serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo
    if key.public_key().public_bytes(*spki) != certificate.public_key().public_bytes(*spki):
        raise RotationRefused(
            "The new key and certificate could not be read together: the certificate is not "
            "for this key."
        )
    if certificate.not_valid_after_utc <= datetime.now(UTC):
        raise RotationRefused(
            f"The new certificate expired on {certificate.not_valid_after_utc:%d %B %Y}."
        )


def _install(source: Path, target: Path, *, private: bool) -> None:
    target.parent.mkdir(mode=0o700 if private else 0o755, parents=True, exist_ok=True)
    shutil.copyfile(source, target)
    if private:
        target.chmod(0o600)
