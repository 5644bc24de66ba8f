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


class SwapError(Exception):
    """The running server could not be moved to the new content (it keeps the old)."""


def _pid(pidfile: Path) -> int | None:
    try:
        return int(pidfile.read_text().strip())
    except (OSError, ValueError):
        return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    return True


def live_fingerprint(bind: str, timeout: float = 5, host: str = "localhost") -> str | None:
    """The fingerprint /healthz reports at gunicorn's address (unix:PATH or HOST:PORT)."""
    import http.client
    import socket

    try:
        if bind.startswith("unix:"):
            connection = http.client.HTTPConnection("localhost", timeout=timeout)
            sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            sock.settimeout(timeout)
            sock.connect(bind[len("unix:"):])
            connection.sock = sock
        else:
            address, _, port = bind.rpartition(":")
            connection = http.client.HTTPConnection(address.strip("[]") or "127.0.0.1", int(port),
                                                    timeout=timeout)
        connection.request("GET", "/healthz", headers={"Host": host})
        answer = connection.getresponse()
        body = answer.read()
        connection.close()
        return json.loads(body).get("content") if answer.status == 200 else None
    except (OSError, ValueError, http.client.HTTPException):
        return None


def swap(pidfile: str, bind: str, wanted: str, timeout: float = 60, host: str = "localhost") -> str:
    """gunicorn's binary upgrade as a content deploy: USR2, wait for `wanted`, TERM the old.

    The new master loads the content before it writes its pidfile (preload_app); if it
    cannot, it exits and the old master, never signalled to stop, keeps serving."""
    import signal
    import time

    if not pidfile or not bind:
        raise SwapError("CANAL_PIDFILE and CANAL_BIND must name the running gunicorn")
    path = Path(pidfile)
    old = _pid(path)
    if old is None or not _alive(old):
        raise SwapError(f"no running gunicorn in {pidfile}")
    if live_fingerprint(bind, host=host) == wanted:
        return "already live"
    os.kill(old, signal.SIGUSR2)
    # The new master takes the pidfile only once the old one has gone ("promoted"), so the
    # sign that it is up is its workers answering /healthz with the new fingerprint.
    deadline = time.monotonic() + timeout
    while live_fingerprint(bind, host=host) != wanted:
        if time.monotonic() > deadline:
            raise SwapError(f"the new server did not answer with the new content within {timeout:.0f}s "
                            "(see gunicorn's log)")
        time.sleep(0.2)
    # Both masters serve the same socket now; the old one finishes its requests and exits.
    os.kill(old, signal.SIGTERM)
    for _ in range(int(timeout * 10)):
        new = _pid(path)
        if new not in (None, old):
            return f"gunicorn master {old} → {new}"
        time.sleep(0.1)
    return f"gunicorn master {old} stopped; the new one serves"
