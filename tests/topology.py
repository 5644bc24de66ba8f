"""nginx (deploy/nginx.conf) in front of gunicorn on a unix socket, on a free loopback port."""
from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "deploy"))
from render_nginx import write  # noqa: E402

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def need_nginx() -> None:
    """Missing nginx fails under CI (the Makefile installs it) and skips elsewhere."""
    if not os.path.exists(NGINX):
        message = "nginx not found: run `make test` (installs Debian's nginx)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str, headers: dict | None = None, timeout: float = 10) -> tuple[int, bytes, dict]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as err:
        return err.code, err.read(), dict(err.headers)


class Topology:
    def __init__(self, run: Path, events: Path, workers: int = 2, threads: int = 4, env: dict | None = None,
                 mount: str = ""):
        need_nginx()
        self.run = run
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, "CANAL_EVENTS": str(events), "CANAL_WORKERS": str(workers),
                    "CANAL_THREADS": str(threads), "CANAL_BIND": f"unix:{run}/gunicorn.sock",
                    "CANAL_PIDFILE": str(run / "gunicorn.pid"),
                    "CANAL_RELOAD_STATUS": str(run / "reload.json"),
                    "CANAL_TRUSTED_PROXIES": "1", "CANAL_ACCESS_LOG": str(run / "gunicorn-access.log"),
                    **(env or {})}
        conf = write(run, f"127.0.0.1:{self.port}", self.env["CANAL_BIND"], ROOT, mount=mount)
        self.log = open(run / "gunicorn.log", "w+")  # noqa: SIM115 - gunicorn writes it until stop()
        self.gunicorn = subprocess.Popen(
            [str(Path(sys.executable).with_name("gunicorn")), "--config", "gunicorn.conf.py", "app:app"],
            cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT)
        self.nginx = subprocess.Popen([NGINX, "-e", str(run / "error.log"), "-p", str(run), "-c",
                                       str(conf), "-g", "daemon off;"],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
        for _ in range(300):
            try:
                status, _, _ = fetch(self.base + mount + "/healthz", timeout=2)
                if status == 200:
                    return
            except OSError:
                pass
            if self.gunicorn.poll() is not None or self.nginx.poll() is not None:
                break
            time.sleep(0.1)
        self.stop()
        pytest.fail("nginx + gunicorn did not start: " + (run / "gunicorn.log").read_text()
                    + (run / "error.log").read_text() if (run / "error.log").exists() else "")

    def master(self) -> int | None:
        try:
            return int((self.run / "gunicorn.pid").read_text().strip())
        except (OSError, ValueError):
            return None

    def stop(self) -> None:
        if self.nginx.poll() is None:
            self.nginx.terminate()
        # After a content deploy the master is a new process, named by the pidfile.
        for pid in {self.master(), self.gunicorn.pid} - {None}:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGTERM)
        for process in (self.nginx, self.gunicorn):
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
        # A master that was starting up takes the pidfile once the old one is gone: stop it too.
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            pid = self.master()
            if not pid:
                break  # gunicorn removes its pidfile when it exits
            try:
                os.kill(pid, signal.SIGTERM)
            except OSError:
                break
            time.sleep(0.3)
        self.log.close()
