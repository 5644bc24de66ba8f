#!/usr/bin/env python3
"""`make serve`: nginx in front of gunicorn on this machine, in one command.

gunicorn listens on a unix socket in RUN (default .run/), nginx on CANAL_LISTEN
(default 127.0.0.1:8080) with deploy/nginx.conf. Ctrl-C stops both. `make deploy-content`
swaps gunicorn to an edited events.toml (USR2, then TERM to the old master): this
script follows the master through its pidfile, so a swap does not stop it.
"""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from render_nginx import write  # noqa: E402

from canal.settings import text  # noqa: E402  (the app's own reading of a variable)


def run_dir() -> Path:
    return Path(os.environ.get("CANAL_RUN_DIR") or ROOT / ".run").resolve()


def environment(run: Path) -> dict:
    """What gunicorn (and `flask canal reload`) are told; the same for both."""
    return {**os.environ,
            "CANAL_BIND": text(os.environ, "CANAL_BIND", f"unix:{run}/gunicorn.sock"),
            "CANAL_PIDFILE": text(os.environ, "CANAL_PIDFILE", str(run / "gunicorn.pid")),
            "CANAL_RELOAD_STATUS": text(os.environ, "CANAL_RELOAD_STATUS", str(run / "reload.json")),
            "CANAL_TRUSTED_PROXIES": "1"}


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
        return True
    except OSError:
        return False


def master_pid(pidfile: Path) -> int | None:
    try:
        return int(pidfile.read_text().strip())
    except (OSError, ValueError):
        return None


def main() -> int:
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not os.path.exists(nginx):
        print("nginx is missing: `make serve` installs Debian's nginx", file=sys.stderr)
        return 1
    run = run_dir()
    env = environment(run)
    listen = os.environ.get("CANAL_LISTEN", "127.0.0.1:8080")
    conf = write(run, listen, env["CANAL_BIND"], ROOT, mount=os.environ.get("CANAL_MOUNT", ""))
    pidfile = Path(env["CANAL_PIDFILE"])
    gunicorn = subprocess.Popen([str(Path(sys.executable).with_name("gunicorn")), "--config",
                                 "gunicorn.conf.py", "app:app"], cwd=ROOT, env=env)
    for _ in range(300):
        if master_pid(pidfile) == gunicorn.pid or gunicorn.poll() is not None:
            break
        time.sleep(0.1)
    if gunicorn.poll() is not None:
        return gunicorn.returncode or 1  # e.g. broken events.toml: gunicorn said why
    web = subprocess.Popen([nginx, "-e", str(run / "error.log"), "-p", str(run), "-c", str(conf),
                            "-g", "daemon off;"])
    print(f"Serving at http://{listen}/ (nginx) → gunicorn at {env['CANAL_BIND']}", flush=True)
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    try:
        while not stopping and web.poll() is None:
            pid = master_pid(pidfile)
            if pid is None or not alive(pid):
                time.sleep(1)  # between the old master's exit and the new pidfile
                pid = master_pid(pidfile)
                if pid is None or not alive(pid):
                    print("gunicorn stopped", file=sys.stderr)
                    break
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    if web.poll() is None:
        web.terminate()
    pid = master_pid(pidfile)
    if pid and alive(pid):
        os.kill(pid, signal.SIGTERM)
    web.wait(timeout=15)
    return 0


if __name__ == "__main__":
    sys.exit(main())
