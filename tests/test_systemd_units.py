"""The systemd units in deploy/systemd, as an operator installs them (README "Running it for real").

Two checks: systemd's own `systemd-analyze verify` accepts both units (syntax, known
directives, executables that exist), and the units' commands do what systemd would make
them do, run here in the order systemd runs them: canal-gunicorn's ExecStart daemonizes
and writes the PIDFile systemd follows (Type=forking), its ExecReload (a content deploy)
hands the service to a new master through that pidfile, and canal-nginx's ExecStartPre
lines render and test a config with which its ExecStart serves the site. PID 1 cannot be
started in a test, so this file plays its part: the paths an operator uses (/srv/canal,
/run/canal, /var/lib/canal-nginx, port 80) are mapped to this checkout, a temporary folder
and a free port; nothing else in the units is changed.
"""
from __future__ import annotations

import os
import shlex
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from topology import fetch, free_port, need_nginx

ROOT = Path(__file__).resolve().parent.parent
UNITS = ROOT / "deploy" / "systemd"
HOST = "canal.example.org"  # the units' CANAL_TRUSTED_HOSTS and --server-name


def need_systemd_analyze() -> str:
    found = shutil.which("systemd-analyze")
    if not found:
        message = "systemd-analyze not found: run `make test` (installs Debian's systemd)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


def unit_lines(text: str) -> list[tuple[str, str, str]]:
    """(section, key, value) in order, with systemd's backslash continuations joined."""
    joined, entries, section = [], [], ""
    for raw in text.splitlines():
        if joined and joined[-1].endswith("\\"):
            joined[-1] = joined[-1][:-1] + " " + raw.strip()
        else:
            joined.append(raw.strip())
    for line in joined:
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            section = line.strip("[]")
            continue
        key, _, value = line.partition("=")
        entries.append((section, key.strip(), value.strip()))
    return entries


def values(entries, key: str) -> list[str]:
    return [value for section, k, value in entries if section == "Service" and k == key]


@pytest.fixture
def installed(tmp_path):
    """The units as installed on this machine: operator paths mapped into tmp_path, except
    the run and nginx folders: those go where nginx's workers (www-data, when the tests run
    as root) can reach gunicorn's socket, as in /run/canal, which systemd creates 0755."""
    port = free_port()
    served = Path(tempfile.mkdtemp(prefix="canal-units-"))
    served.chmod(0o755)
    run = served / "run"
    run.mkdir(mode=0o755)  # RuntimeDirectory=canal
    yield from _install(tmp_path, served, run, port)
    shutil.rmtree(served, ignore_errors=True)


def _install(tmp_path: Path, served: Path, run: Path, port: int):
    # The content is a copy, so that the test can edit it as an editor would.
    content = served / "content"
    content.mkdir()
    for name in ("events.toml", "events.revisions.toml", "events.holidays.toml"):
        if (ROOT / name).exists():
            shutil.copy(ROOT / name, content / name)
    mapping = [("/srv/canal/events.toml", str(content / "events.toml")), ("/srv/canal", str(ROOT)),
               ("/run/canal", str(run)),
               ("/var/lib/canal-nginx", str(served / "nginx")), ("--listen 80", f"--listen 127.0.0.1:{port}")]
    installed = {}
    for unit in UNITS.glob("*.service"):
        text = unit.read_text(encoding="utf-8")
        for operator_path, here in mapping:
            text = text.replace(operator_path, here)
        path = tmp_path / unit.name
        path.write_text(text, encoding="utf-8")
        installed[unit.name] = path
    (served / "nginx").mkdir(mode=0o755)
    yield {"units": installed, "run": run, "base": f"http://127.0.0.1:{port}",
           "events": content / "events.toml"}


def test_both_units_are_shipped_and_name_each_other():
    assert sorted(unit.name for unit in UNITS.glob("*.service")) == ["canal-gunicorn.service",
                                                                      "canal-nginx.service"]
    nginx = unit_lines((UNITS / "canal-nginx.service").read_text(encoding="utf-8"))
    assert ("Unit", "Wants", "canal-gunicorn.service") in nginx
    gunicorn = unit_lines((UNITS / "canal-gunicorn.service").read_text(encoding="utf-8"))
    # gunicorn is reachable only through its unix socket, never a TCP port (README: never expose it).
    assert "CANAL_BIND=unix:/run/canal/gunicorn.sock" in values(gunicorn, "Environment")
    assert any("--upstream unix:/run/canal/gunicorn.sock" in line for line in values(nginx, "ExecStartPre"))


def test_systemd_analyze_verify_accepts_both_units(installed):
    analyze = need_systemd_analyze()
    units = [str(path) for path in installed["units"].values()]
    done = subprocess.run([analyze, "verify", "--man=no", *units], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and not done.stderr.strip(), done.stderr


def test_systemd_analyze_would_catch_a_broken_unit(installed, tmp_path):
    """The check above can fail: a misspelt type and a missing executable are reported."""
    analyze = need_systemd_analyze()
    broken = tmp_path / "broken" / "canal-gunicorn.service"
    broken.parent.mkdir()
    text = installed["units"]["canal-gunicorn.service"].read_text(encoding="utf-8")
    broken.write_text(text.replace("Type=forking", "Type=forkin").replace("bin/gunicorn ", "bin/gunicornX "),
                      encoding="utf-8")
    done = subprocess.run([analyze, "verify", "--man=no", str(broken)], capture_output=True, text=True,
                          timeout=60)
    assert "forkin" in done.stderr and "gunicornX" in done.stderr


def service_environment(entries) -> dict:
    """What systemd gives the service: its Environment= lines over a bare PATH and locale."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "LANG": "C.UTF-8"}
    if os.environ.get("CANAL_FONT_DIR"):  # the share images' font, where make fonts put it elsewhere
        env["CANAL_FONT_DIR"] = os.environ["CANAL_FONT_DIR"]
    for line in values(entries, "Environment"):
        key, _, value = line.partition("=")
        env[key] = value
    return env


def pid_from(path: Path) -> int | None:
    try:
        return int(path.read_text().strip())
    except (OSError, ValueError):
        return None


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except OSError:
        return False
    # A zombie is not alive: systemd would have reaped it.
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] != "Z"
    except OSError:
        return False


def wait_for(predicate, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def healthz(base: str) -> dict | None:
    import json
    try:
        status, body, _ = fetch(base + "/healthz", headers={"Host": HOST}, timeout=5)
    except OSError:
        return None
    return json.loads(body) if status == 200 else None


def test_the_units_start_serve_reload_and_stop_as_systemd_runs_them(installed):
    need_nginx()
    run, base = installed["run"], installed["base"]
    gunicorn = unit_lines(installed["units"]["canal-gunicorn.service"].read_text(encoding="utf-8"))
    nginx = unit_lines(installed["units"]["canal-nginx.service"].read_text(encoding="utf-8"))
    env = service_environment(gunicorn)
    workdir = values(gunicorn, "WorkingDirectory")[0]
    pidfile = Path(values(gunicorn, "PIDFile")[0])
    assert values(gunicorn, "Type") == ["forking"] and pidfile.parent == run
    web = None
    try:
        # canal-gunicorn: ExecStart forks a daemon and returns; systemd then reads PIDFile.
        start = subprocess.run(shlex.split(values(gunicorn, "ExecStart")[0]), cwd=workdir, env=env,
                               capture_output=True, text=True, timeout=120)
        assert start.returncode == 0, start.stderr
        assert wait_for(lambda: pid_from(pidfile) and alive(pid_from(pidfile))), "no PIDFile from gunicorn"
        first_master = pid_from(pidfile)

        # canal-nginx: every ExecStartPre must succeed before ExecStart runs.
        for line in values(nginx, "ExecStartPre"):
            done = subprocess.run(shlex.split(line), capture_output=True, text=True, timeout=60)
            assert done.returncode == 0, (line, done.stderr)
        web = subprocess.Popen(shlex.split(values(nginx, "ExecStart")[0]), stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
        assert wait_for(lambda: healthz(base) is not None), "nginx did not answer /healthz"
        before = healthz(base)
        assert before["status"] == "ok" and before["events"] > 0
        status, body, _ = fetch(base + "/events/", headers={"Host": HOST})
        assert status == 200 and "<html" in body.decode()

        # systemctl reload canal-gunicorn after an edit: a content deploy that hands over to
        # a new master, which serves the new content.
        events = installed["events"]
        events.write_text(events.read_text(encoding="utf-8") + "\n# edited by the test\n", encoding="utf-8")
        reload = subprocess.run(shlex.split(values(gunicorn, "ExecReload")[0]), cwd=workdir, env=env,
                                capture_output=True, text=True, timeout=180)
        assert reload.returncode == 0, reload.stdout + reload.stderr
        assert wait_for(lambda: pid_from(pidfile) not in (None, first_master)), "PIDFile not handed over"
        assert wait_for(lambda: not alive(first_master)), "the old master did not exit"
        after = healthz(base)
        assert after["content"] != before["content"] and after["events"] == before["events"]

        # systemctl stop canal-gunicorn: TERM to the main PID, done well within TimeoutStopSec.
        timeout_stop = int(values(gunicorn, "TimeoutStopSec")[0])
        master = pid_from(pidfile)
        os.kill(master, signal.SIGTERM)
        assert wait_for(lambda: not alive(master), timeout_stop), "gunicorn outlived TimeoutStopSec"
    finally:
        for pid in {pid_from(pidfile)} - {None}:
            if alive(pid):
                os.kill(pid, signal.SIGTERM)
        if web is not None:
            web.terminate()
            web.wait(timeout=15)
