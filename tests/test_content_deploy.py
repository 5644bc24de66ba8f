"""Content deploys under load: `flask canal reload` swaps gunicorn behind nginx to a valid edit
with no failed request, and refuses a broken one while the old content keeps serving."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

from canal.deploy import fingerprint
from conftest import DATA
from topology import ROOT, Topology, fetch


def _reload(site: Topology, events: Path) -> subprocess.CompletedProcess:
    flask = Path(sys.executable).with_name("flask")
    return subprocess.run([str(flask), "--app", "app", "canal", "reload", "--timeout", "60"],
                          cwd=ROOT, env={**site.env, "CANAL_EVENTS": str(events)},
                          capture_output=True, text=True, timeout=120)


def _health(site: Topology) -> dict:
    return json.loads(fetch(site.base + "/healthz")[1])


def _shows(site: Topology, text: str, seconds: float = 20) -> bool:
    """Whether the agenda shows `text` within `seconds` (nginx keeps pages 5 s)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if text in fetch(site.base + "/events/")[1].decode():
            return True
        time.sleep(0.5)
    return False


def test_a_valid_edit_goes_live_and_a_broken_one_never_does(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    events, ledger = content / "events.toml", content / "events.revisions.toml"
    shutil.copy(DATA / "minimal.toml", events)
    shutil.copy(DATA / "minimal.revisions.toml", ledger)
    run = tmp_path / "run"
    run.mkdir()
    # As in production, the app answers only its own host name (the reload's probe must too).
    site = Topology(run, events, env={"CANAL_TRUSTED_HOSTS": "127.0.0.1"})
    failures, answered = [], [0]
    stop = threading.Event()

    def visitor(paths):
        while not stop.is_set():
            for path in paths:
                try:
                    status = fetch(site.base + path, timeout=15)[0]
                    if status != 200:
                        failures.append(f"{path}: {status}")
                except OSError as err:
                    failures.append(f"{path}: {err}")
                answered[0] += 1

    # /healthz and the plan always reach gunicorn (never from nginx's cache).
    threads = [threading.Thread(target=visitor, args=(paths,)) for paths in
               (["/healthz", "/events/"], ["/plan/?o=boat-trip@2027-05-01", "/en/sites/"])]
    try:
        for thread in threads:
            thread.start()
        before = _health(site)
        assert before["content"] == fingerprint(events, ledger)

        events.write_text(events.read_text(encoding="utf-8").replace("运河夜话", "运河夜话（新）"),
                          encoding="utf-8")
        done = _reload(site, events)
        assert done.returncode == 0, done.stdout + done.stderr
        assert done.stdout.startswith(f"Deployed {events}")
        after = _health(site)
        assert after["content"] == fingerprint(events, ledger) != before["content"]
        assert after["last_reload"]["ok"] is True and after["last_reload_failed"] is False
        assert _shows(site, "运河夜话（新）")
        old_master = site.gunicorn.pid
        site.gunicorn.wait(timeout=30)  # the old master finished its requests and left
        assert site.master() != old_master

        good = events.read_text(encoding="utf-8")
        events.write_text(good.replace('site = "xianghe-wharf"', 'site = "xianghe-wharff"', 1),
                          encoding="utf-8")
        refused = _reload(site, events)
        assert refused.returncode == 1
        assert "unknown site 'xianghe-wharff'" in refused.stdout  # the editor's own message
        assert "not deployed; the old content keeps serving" in refused.stderr
        health = _health(site)
        assert health["content"] == after["content"]  # still the valid edit
        assert health["last_reload_failed"] is True
        assert any("xianghe-wharff" in p for p in health["last_reload"]["problems"])
        assert _shows(site, "运河夜话（新）")
        time.sleep(1)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
        site.stop()
    assert failures == [] and answered[0] > 50, (failures[:10], answered)
