"""A definition file between its preview and its import, kept in the session of the person
loading it under a random token (docs/decisions/0332): at most MAX_FILE_BYTES of text, checked
again when it is imported. One at a time: a new upload replaces it."""

import secrets

PENDING_IMPORT = "plans.pending_template_import"


def pending_keep(session, *, name: str, raw: bytes, loaded_for: str = "") -> dict:
    """Keep a checked file (``raw`` is UTF-8: the check read it) for the PCT it is loaded for,
    by its slug, or for any PCT ("") in the site administrator's import."""
    pending = {
        "token": secrets.token_urlsafe(),
        "name": name,
        "text": raw.decode(),
        "loaded_for": loaded_for,
    }
    session[PENDING_IMPORT] = pending
    return pending


def pending_for(session, *, loaded_for: str = "") -> dict | None:
    """The file checked for the PCT (its slug) and not yet loaded, if there is one."""
    pending = session.get(PENDING_IMPORT)
    if not pending or pending.get("loaded_for", "") != loaded_for:
        return None
    return pending


def pending_of(session, token: str | None, *, loaded_for: str = "") -> dict | None:
    """The file kept under ``token`` for the same PCT, or None when it was imported, cancelled
    or replaced since (or the token is forged)."""
    pending = pending_for(session, loaded_for=loaded_for)
    if pending is None or pending["token"] != token:
        return None
    return pending


def pending_forget(session) -> None:
    session.pop(PENDING_IMPORT, None)
