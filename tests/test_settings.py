"""One configuration: every setting read once, the same for the site and the commands (issue 11)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

import icalendar
import pytest
from click.testing import CliRunner

from canal import create_app, deploy
from canal.cli import canal as canal_cli
from canal.settings import Settings, StartupError
from conftest import DATA, NOW
from ical_support import ROOT

# A ledger entry behind the content (its fingerprints differ), so the feed shows one more.
STALE_ENTRY = ('[events.boat-trip]\nsequence = 7\nmodified = 2026-10-01T08:00:00Z\n'
               'schedule = "x"\ncontent = "y"\n')


def boat_trip(app) -> icalendar.Event:
    [event] = icalendar.Calendar.from_ical(app.test_client().get("/events/boat-trip.ics").data).walk("VEVENT")
    return event


def test_a_ledger_elsewhere_serves_the_site_and_the_command_alike(tmp_path, monkeypatch):
    content = tmp_path / "content"
    content.mkdir()
    shutil.copy(DATA / "minimal.toml", content / "events.toml")
    shutil.copy(DATA / "minimal.revisions.toml", content / "events.revisions.toml")  # the decoy
    elsewhere = tmp_path / "elsewhere.toml"
    elsewhere.write_text(STALE_ENTRY, encoding="utf-8")
    monkeypatch.setenv("CANAL_EVENTS", str(content / "events.toml"))
    monkeypatch.setenv("CANAL_REVISIONS", str(elsewhere))
    monkeypatch.setenv("CANAL_NOW", NOW)

    # The site reads the ledger at CANAL_REVISIONS, not the one beside the content...
    site = create_app({"TESTING": True})
    assert boat_trip(site)["SEQUENCE"] == 8
    health = site.test_client().get("/healthz").get_json()
    assert health["content"] == deploy.fingerprint(content / "events.toml", elsewhere)
    # ...and so does the command, which finds it behind and brings it up to date there.
    checked = CliRunner().invoke(canal_cli, ["revisions", "--check"])
    assert checked.exit_code == 1
    assert checked.output.startswith(f"{elsewhere} is not up to date for: ")  # the decoy is current
    assert "boat-trip" in checked.output.split("\n")[0]
    recorded = CliRunner().invoke(canal_cli, ["revisions"])
    assert recorded.exit_code == 0, recorded.output
    assert f"recorded in {elsewhere}: " in recorded.output
    assert CliRunner().invoke(canal_cli, ["revisions", "--check"]).output == f"OK: {elsewhere} is up to date\n"
    assert (content / "events.revisions.toml").read_bytes() == (DATA / "minimal.revisions.toml").read_bytes()
    # The restarted site serves what the command recorded: the raised revision, for good.
    assert boat_trip(create_app({"TESTING": True}))["SEQUENCE"] == 8
    assert "sequence = 8" in elsewhere.read_text(encoding="utf-8")


def test_a_path_given_to_the_command_moves_only_the_default_ledger(tmp_path, monkeypatch):
    monkeypatch.delenv("CANAL_REVISIONS", raising=False)
    shutil.copy(DATA / "minimal.toml", tmp_path / "other.toml")
    result = CliRunner().invoke(canal_cli, ["revisions", str(tmp_path / "other.toml")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "other.revisions.toml").is_file()


def test_every_bad_setting_is_listed_at_once_and_nothing_starts():
    with pytest.raises(StartupError) as stopped:
        create_app({"TESTING": True, "CANAL_EVENTS": str(DATA / "minimal.toml"), "CANAL_NOW": "yesterday",
                    "CANAL_TRUSTED_PROXIES": "many", "CANAL_PLAN_NEARBY_KM": "far"})
    assert str(stopped.value) == (
        "CANAL_NOW = 'yesterday': give a date and time written YYYY-MM-DDTHH:MM:SS\n"
        "CANAL_TRUSTED_PROXIES = 'many': give how many proxies are in front (0 to 5)\n"
        "CANAL_PLAN_NEARBY_KM = 'far': give a distance in km from 0 to 200")


def test_a_bad_setting_in_the_environment_stops_the_site_and_the_commands_with_its_message():
    env = {**os.environ, "CANAL_EVENTS": str(DATA / "minimal.toml"), "CANAL_PLAN_NEARBY_KM": "-3"}
    served = subprocess.run([sys.executable, "-c", "import app"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert served.returncode == 1
    assert "Traceback" not in served.stderr
    assert served.stderr == "CANAL_PLAN_NEARBY_KM = '-3': give a distance in km from 0 to 200\n"
    checked = CliRunner().invoke(canal_cli, ["check"], env={"CANAL_PLAN_NEARBY_KM": "-3"})
    assert checked.exit_code == 1
    assert "CANAL_PLAN_NEARBY_KM = '-3': give a distance in km from 0 to 200" in checked.output


def test_the_plan_radius_is_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("CANAL_PLAN_NEARBY_KM", "40")
    app = create_app({"TESTING": True, "CANAL_EVENTS": str(DATA / "minimal.toml")})
    assert app.extensions["canal_settings"].plan_nearby_km == 40.0


def test_settings_live_only_in_the_settings_object():
    app = create_app({"TESTING": True, "CANAL_EVENTS": str(DATA / "minimal.toml"), "CANAL_NOW": NOW,
                      "CANAL_ICP": "京ICP备00000000号-1"})
    assert "CANAL_EVENTS" not in app.config and "CANAL_ICP" not in app.config
    assert app.extensions["canal_settings"].icp == "京ICP备00000000号-1"
    assert app.config["TESTING"] is True


def test_gunicorn_and_the_reload_command_read_the_same_address(monkeypatch):
    monkeypatch.delenv("CANAL_BIND", raising=False)
    monkeypatch.delenv("CANAL_PIDFILE", raising=False)
    conf = {}
    exec((ROOT / "gunicorn.conf.py").read_text(encoding="utf-8"), conf)
    settings = Settings.from_environ(os.environ)
    assert conf["bind"] == settings.bind == "127.0.0.1:8000"
    assert conf["pidfile"] is settings.pidfile is None
    monkeypatch.setenv("CANAL_BIND", " unix:/run/canal.sock ")
    exec((ROOT / "gunicorn.conf.py").read_text(encoding="utf-8"), conf)
    assert conf["bind"] == Settings.from_environ(os.environ).bind == "unix:/run/canal.sock"
