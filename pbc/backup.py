"""Backup and restore of a deployment: the PostgreSQL database (pg_dump, custom format), the
media files and the PDF seal's key and certificate, in one tar archive with a manifest; and
the drill that restores it into an empty database and checks what came back
(docs/decisions/0372).

The archive holds the seal's private key: keep it as you keep the key itself.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import psycopg2
from django.conf import settings
from django.db import connections
from psycopg2 import sql

from plans.audit import audit_chain_verify
from plans.models import Answer, AuditChain, Plan, PlanEvent
from signoff.models import Comment, PlanDocument, SealCertificate, Signature
from signoff.verification import Outcome, verify_upload

FORMAT = "pbc-plans-backup/1"
MANIFEST = "manifest.json"
DATABASE_DUMP = "database.dump"
MEDIA = "media"
SEAL_KEY = "seal/key.pem"
SEAL_CERTIFICATE = "seal/certificate.pem"


class BackupError(Exception):
    """The backup or restore cannot go on; the message says why and what to do."""


# --- what a deployment holds ----------------------------------------------------------------


def _signed_pdfs():
    return PlanDocument.objects.filter(
        kind=PlanDocument.Kind.SIGNED, state=PlanDocument.State.READY
    )


def inventory() -> dict[str, int]:
    """How many of each thing the database holds, as the manifest records it."""
    return {
        "plans": Plan.objects.count(),
        "plan revisions": Plan.history.count(),
        "answer revisions": Answer.history.count(),
        "comments": Comment.objects.count(),
        "events": PlanEvent.objects.count(),
        "signatures": Signature.objects.count(),
        "sealed PDFs": _signed_pdfs().count(),
        "audit chains": AuditChain.objects.count(),
        "seal certificates on record": SealCertificate.objects.count(),
    }


# --- the database tools -----------------------------------------------------------------------


def _database() -> dict:
    database = connections["default"].settings_dict
    if connections["default"].vendor != "postgresql":
        raise BackupError(
            "Backup and restore work on PostgreSQL only (DATABASE_URL). The embedded SQLite "
            "database is one file: copy it while the service is stopped."
        )
    return database


def _environment(database: dict, name: str | None = None) -> dict[str, str]:
    """libpq's variables for the tools, so the password never shows in a process list."""
    environment = dict(os.environ)
    for variable, value in (
        ("PGHOST", database["HOST"]),
        ("PGPORT", database["PORT"]),
        ("PGUSER", database["USER"]),
        ("PGPASSWORD", database["PASSWORD"]),
        ("PGDATABASE", name or database["NAME"]),
    ):
        if value:
            environment[variable] = str(value)
    return environment


def _major(version_text: str) -> int:
    found = re.search(r"(\d+)(?:\.\d+)?", version_text)
    if not found:
        raise BackupError(f"Could not read a PostgreSQL version from {version_text!r}.")
    return int(found.group(1))


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise BackupError(
            f"{name} is not installed. Install the PostgreSQL client of the server's version "
            "(Debian/Ubuntu: apt-get install postgresql-client)."
        )
    return path


def check_tool_versions(*tools: str) -> dict[str, str]:
    """The tools' and the server's versions; refused when a tool is older than the server
    (pg_dump cannot dump a newer server, and its archive would not restore with the old tool)."""
    with connections["default"].cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    versions = {"server": server}
    for tool in tools:
        # The tools are found on PATH by name and given no outside input.
        output = subprocess.run(  # noqa: S603
            [_tool(tool), "--version"], capture_output=True, text=True, check=True
        ).stdout.strip()
        versions[tool] = output
        if _major(output.rsplit(" ", 1)[-1]) < _major(server):
            raise BackupError(
                f"{output} is older than the database server ({server}): install the client "
                f"of version {_major(server)} or later."
            )
    return versions


def _run(command: list[str], environment: dict[str, str], what: str) -> None:
    done = subprocess.run(command, env=environment, capture_output=True, text=True)  # noqa: S603
    if done.returncode != 0:
        raise BackupError(f"{what} failed: {done.stderr.strip() or done.returncode}")


# --- backup -----------------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _media_files() -> Iterator[Path]:
    root = Path(settings.MEDIA_ROOT)
    if root.is_dir():
        yield from sorted(path for path in root.rglob("*") if path.is_file())


@dataclass
class Backup:
    path: Path
    manifest: dict = field(default_factory=dict)


def backup(output: Path) -> Backup:
    """Writes the archive to ``output`` (readable by its owner only)."""
    database = _database()
    versions = check_tool_versions("pg_dump")
    key, certificate = Path(settings.PDF_SEAL_KEY_PATH), Path(settings.PDF_SEAL_CERT_PATH)
    for path, what in ((key, "key"), (certificate, "certificate")):
        if not path.is_file():
            raise BackupError(f"The PDF seal's {what} is missing at {path}: nothing to back up.")
    output = output.resolve()
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="pbc-backup-") as work:
        dump = Path(work) / DATABASE_DUMP
        _run(
            [
                _tool("pg_dump"),
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                f"--file={dump}",
            ],
            _environment(database),
            "pg_dump",
        )
        members = {DATABASE_DUMP: dump, SEAL_KEY: key, SEAL_CERTIFICATE: certificate}
        media_root = Path(settings.MEDIA_ROOT)
        for path in _media_files():
            members[f"{MEDIA}/{path.relative_to(media_root).as_posix()}"] = path
        manifest = {
            "format": FORMAT,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "database": database["NAME"],
            "versions": versions,
            "counts": inventory(),
            "files": {name: _sha256(path) for name, path in members.items()},
        }
        manifest_path = Path(work) / MANIFEST
        manifest_path.write_text(json.dumps(manifest, indent=2, sort_keys=True))
        partial = output.with_name(output.name + ".partial")
        descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as stream, tarfile.open(fileobj=stream, mode="w") as tar:
            tar.add(manifest_path, arcname=MANIFEST)
            for name, path in members.items():
                tar.add(path, arcname=name)
        partial.replace(output)
    return Backup(path=output, manifest=manifest)


# --- restore ----------------------------------------------------------------------------------


@dataclass
class Restored:
    database: str
    manifest: dict
    counts: dict[str, int]
    media_files: int
    pdfs_sealed: int
    chains_intact: int
    problems: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems


def _unpack(archive: Path, into: Path) -> dict:
    """The archive's files in ``into``, each checked against the manifest."""
    if not archive.is_file():
        raise BackupError(f"No backup archive at {archive}.")
    try:
        with tarfile.open(archive) as tar:
            tar.extractall(into, filter="data")
    except (tarfile.TarError, OSError) as error:
        raise BackupError(f"{archive} could not be read as a backup archive ({error}).") from None
    try:
        manifest = json.loads((into / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise BackupError(f"{archive} has no readable {MANIFEST} ({error}).") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{archive} is not a backup of this service ({manifest.get('format')}).")
    for name, digest in manifest["files"].items():
        path = into / name
        if not path.is_file() or _sha256(path) != digest:
            raise BackupError(f"{name} in {archive} is missing or damaged (SHA-256 differs).")
    return manifest


def server_connection(database_name: str):
    """A psycopg2 connection to ``database_name`` on the configured server, in autocommit
    (CREATE and DROP DATABASE cannot run in a transaction)."""
    database = connections["default"].settings_dict
    connection = psycopg2.connect(
        dbname=database_name,
        user=database["USER"] or None,
        password=database["PASSWORD"] or None,
        host=database["HOST"] or None,
        port=database["PORT"] or None,
    )
    connection.autocommit = True
    return connection


def _create_empty_database(name: str) -> None:
    """Creates ``name``, or accepts it if it exists with no tables; refuses otherwise."""
    with closing(server_connection("postgres")) as server, server.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        if cursor.fetchone() is None:
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            return
    with closing(server_connection(name)) as target, target.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"
        )
        tables = cursor.fetchone()[0]
    if tables:
        raise BackupError(
            f"The database {name} already has {tables} tables: restore only into an empty "
            "database (create a new one, or name another with --into)."
        )


def _place_seal(unpacked: Path, *, replace_seal: bool) -> None:
    for member, target in (
        (SEAL_KEY, Path(settings.PDF_SEAL_KEY_PATH)),
        (SEAL_CERTIFICATE, Path(settings.PDF_SEAL_CERT_PATH)),
    ):
        source = unpacked / member
        if target.is_file() and target.read_bytes() != source.read_bytes() and not replace_seal:
            raise BackupError(
                f"A different seal file is already at {target}. Move it away, or pass "
                "--replace-seal to put the backup's in its place."
            )
    for member, target, private in (
        (SEAL_KEY, Path(settings.PDF_SEAL_KEY_PATH), True),
        (SEAL_CERTIFICATE, Path(settings.PDF_SEAL_CERT_PATH), False),
    ):
        target.parent.mkdir(mode=0o700 if private else 0o755, parents=True, exist_ok=True)
        shutil.copyfile(unpacked / member, target)
        if private:
            target.chmod(0o600)


def _place_media(unpacked: Path) -> int:
    source = unpacked / MEDIA
    if not source.is_dir():
        return 0
    root = Path(settings.MEDIA_ROOT)
    placed = 0
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        target = root / path.relative_to(source)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        placed += 1
    return placed


@contextmanager
def using_database(name: str):
    """Points the default connection at ``name`` for the checks, then back."""
    connection = connections["default"]
    previous = connection.settings_dict["NAME"]
    connection.close()
    connection.settings_dict["NAME"] = name
    try:
        yield
    finally:
        connection.close()
        connection.settings_dict["NAME"] = previous


def restore(archive: Path, *, into: str | None = None, replace_seal: bool = False) -> Restored:
    """Restores the archive into the empty database ``into`` (by default the configured one),
    puts the media files and seal files in their configured places, then checks that every
    count matches the manifest, every sealed PDF verifies and every audit chain holds."""
    database = _database()
    check_tool_versions("pg_restore")
    name = into or database["NAME"]
    with tempfile.TemporaryDirectory(prefix="pbc-restore-") as work:
        unpacked = Path(work)
        manifest = _unpack(archive, unpacked)
        _create_empty_database(name)
        _place_seal(unpacked, replace_seal=replace_seal)
        _run(
            [
                _tool("pg_restore"),
                "--no-owner",
                "--no-privileges",
                "--exit-on-error",
                f"--dbname={name}",
                str(unpacked / DATABASE_DUMP),
            ],
            _environment(database, name),
            "pg_restore",
        )
        media_files = _place_media(unpacked)
    with using_database(name):
        return _check(name, manifest, media_files)


def _check(name: str, manifest: dict, media_files: int) -> Restored:
    counts = inventory()
    problems = [
        f"{what}: {manifest['counts'].get(what)} backed up, {count} restored"
        for what, count in counts.items()
        if manifest["counts"].get(what) != count
    ]
    sealed = 0
    for document in _signed_pdfs().select_related("plan").iterator():
        data = bytes(document.pdf or b"")
        result = verify_upload(data)
        if result.outcome == Outcome.SEALED and result.seal.valid:
            sealed += 1
        else:
            problems.append(
                f"The sealed PDF of {document.plan} (document {document.pk}) does not verify: "
                f"{result.outcome}, {result.seal.problem or 'seal not valid'}."
            )
    intact = 0
    for plan in Plan.objects.order_by("pk").iterator():
        check = audit_chain_verify(plan)
        if check.intact:
            intact += 1
        else:
            problems.append(f"The audit chain of plan {plan.pk} ({plan}) breaks at {check.broken}.")
    return Restored(
        database=name,
        manifest=manifest,
        counts=counts,
        media_files=media_files,
        pdfs_sealed=sealed,
        chains_intact=intact,
        problems=problems,
    )
