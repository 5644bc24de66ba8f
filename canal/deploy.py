"""Content deploys: which content is live, and what the last reload attempt said. No Flask.

The running server and `flask canal reload` share two small facts: the fingerprint of
the content a server loaded (sha256 over events.toml and its revision ledger, so two
servers with the same files say the same), and a status file the reload command writes,
which /healthz shows so that a refused edit is visible to whoever watches the site.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path


def fingerprint(events_path: str | os.PathLike, ledger_path: str | os.PathLike) -> str:
    """sha256 of the content file followed by its ledger (a missing ledger counts as empty)."""
    digest = hashlib.sha256()
    for path in (events_path, ledger_path):
        try:
            data = Path(path).read_bytes()
        except FileNotFoundError:
            data = b""
        # Lengths first, so moving bytes from one file to the other changes the digest.
        digest.update(len(data).to_bytes(8, "big"))
        digest.update(data)
    return digest.hexdigest()


def read_status(path: str | os.PathLike | None) -> dict | None:
    """The last reload attempt ({"ok", "at", "fingerprint", "problems"}), or None."""
    if not path:
        return None
    try:
        status = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return status if isinstance(status, dict) else None


def write_status(path: str | os.PathLike, status: dict) -> None:
    """Replace the status file in one step, so a reader never sees half of it."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=".reload-", suffix=".json")
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(status, out, ensure_ascii=False, indent=1)
    os.replace(temporary, target)
