"""The restore drill: back up a deployment with signed, sealed, commented plans, restore it into
a fresh database, and find everything there, the PDFs still verifying as sealed and every audit
chain intact."""

import os
from contextlib import closing
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from consortia.models import User
from pbc.backup import server_connection, using_database
from plans import services as plan_services
from plans.models import Answer, AuditChain, Plan, PlanEvent
from signoff import services
from signoff.models import Comment, PlanDocument, SealCertificate, Signature
from signoff.seal_certificates import seal_certificate_current
from tests.review_factories import issued_pdf, person, three_signatory_plan

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def everything() -> dict:
    """What the drill must find again, row for row."""
    return {
        "plans": list(Plan.objects.order_by("pk").values_list("pk", "title", "status")),
        "plan history": list(Plan.history.order_by("history_id").values_list("id", "status")),
        "answer history": list(
            Answer.history.order_by("history_id").values_list("id", "text", "version")
        ),
        "comments": list(Comment.objects.order_by("pk").values_list("pk", "plan_id", "body")),
        "events": list(
            PlanEvent.objects.order_by("pk").values_list("pk", "plan_id", "kind", "audit_sha256")
        ),
        "signatures": list(
            Signature.objects.order_by("pk").values_list("pk", "typed_name", "audit_sha256")
        ),
        "pdfs": list(
            PlanDocument.objects.order_by("pk").values_list("pk", "file_sha256", "audit_sha256")
        ),
        "chains": list(AuditChain.objects.order_by("plan").values_list("plan", "head_sha256")),
        "seal certificates": list(SealCertificate.objects.values_list("fingerprint_sha256")),
    }


def a_deployment() -> list[Plan]:
    signed = three_signatory_plan()
    editor = person(User.Role.CONSORTIUM_EDITOR, signed)
    answer = signed.answers.select_related("question").first()
    plan_services.answer_save(
        answer=answer, user=editor, base_version=answer.version, text="<p>Revised.</p>"
    )
    services.plan_submit(plan=signed, user=editor)
    lead = person(User.Role.PCT_LEAD, signed)
    services.comment_add(plan=signed, user=lead, body="Which follow-ups?", question=answer.question)
    seal_certificate_current()
    issued_pdf(signed, names=["Dr Ann Chair", "Dr Ben Pec", "Cara Chief"])
    draft = three_signatory_plan()
    services.plan_submit(plan=draft, user=person(User.Role.CONSORTIUM_EDITOR, draft))
    return [signed, draft]


@pytest.fixture
def scratch_database():
    name = f"pbc_restore_drill_{os.getpid()}"
    yield name
    with closing(server_connection("postgres")) as server, server.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_a_backup_restores_into_a_fresh_database_with_everything_intact_and_verifying(
    tmp_path, settings, scratch_database
):
    a_deployment()
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "uploads").mkdir(parents=True)
    (settings.MEDIA_ROOT / "uploads" / "practices.csv").write_text("name,code\nA,B81001\n")
    before = everything()
    archive = tmp_path / "backups" / "pbc.tar"

    made = StringIO()
    call_command("backup", str(archive), stdout=made)
    # A new machine: no media, no seal files yet.
    key_before = settings.PDF_SEAL_KEY_PATH.read_bytes()
    settings.MEDIA_ROOT = tmp_path / "restored-media"
    settings.PDF_SEAL_KEY_PATH = tmp_path / "restored-seal" / "key.pem"
    settings.PDF_SEAL_CERT_PATH = tmp_path / "restored-seal" / "certificate.pem"
    restored = StringIO()
    call_command("restore", str(archive), into=scratch_database, stdout=restored)
    print(made.getvalue(), restored.getvalue(), sep="\n")
    with using_database(scratch_database):
        after = everything()

    assert archive.stat().st_mode & 0o077 == 0, "the archive holds the seal key"
    assert after == before
    assert len(before["pdfs"]) == 1 and len(before["signatures"]) == 3
    assert len(before["answer history"]) > len(before["plans"])
    report = restored.getvalue()
    assert f"into database {scratch_database}" in report
    assert "  plans: 2 (backed up: 2)" in report
    assert "  sealed PDFs: 1 (backed up: 1)" in report
    assert "  media files: 1, and the seal key and certificate" in report
    assert "Verified: 1 of 1 sealed PDFs verify as sealed by this service; 2 of 2 audit " in report
    assert "Everything backed up came back and verifies." in report
    assert (settings.MEDIA_ROOT / "uploads" / "practices.csv").read_text().endswith("B81001\n")
    assert settings.PDF_SEAL_KEY_PATH.read_bytes() == key_before


def test_restoring_over_a_database_that_has_tables_is_refused(tmp_path):
    archive = tmp_path / "pbc.tar"
    call_command("backup", str(archive), stdout=StringIO())

    with pytest.raises(CommandError, match=r"already has \d+ tables: restore only into an empty"):
        call_command("restore", str(archive), stdout=StringIO())


def test_a_damaged_archive_is_refused_before_anything_is_touched(tmp_path, scratch_database):
    archive = tmp_path / "pbc.tar"
    call_command("backup", str(archive), stdout=StringIO())
    data = bytearray(archive.read_bytes())
    dump_at = data.index(b"PGDMP")
    data[dump_at + 200] ^= 0xFF
    archive.write_bytes(bytes(data))

    with pytest.raises(CommandError, match=r"database\.dump in .* is missing or damaged"):
        call_command("restore", str(archive), into=scratch_database, stdout=StringIO())
