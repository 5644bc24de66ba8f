"""The small holes an attacker or a careless proxy would find, each closed (issue 17)."""
from __future__ import annotations

import pytest

from canal import create_app, operator_settings
from conftest import DATA, NOW
from pages_html import Page


def make(**config):
    return create_app({"TESTING": True, "CANAL_EVENTS": str(DATA / "minimal.toml"), "CANAL_NOW": NOW,
                       **config}).test_client()


def test_slash_redirects_never_name_the_requests_host(client):
    response = client.get("/events", headers={"Host": "evil.example"})
    assert response.status_code == 308
    assert response.headers["Location"] == "/events/"
    assert "max-age=3600" in response.headers["Cache-Control"]  # cacheable, not recomputed
    english = client.get("/en/sites?x=1", headers={"Host": "evil.example"})
    assert english.headers["Location"] == "/en/sites/?x=1"


def test_only_trusted_hosts_are_answered():
    client = make(TRUSTED_HOSTS=["canal.test"])
    assert client.get("/", headers={"Host": "canal.test"}).status_code == 200
    refused = client.get("/", headers={"Host": "evil.example"})
    assert refused.status_code == 400 and b"evil.example" not in refused.data


def test_trusted_hosts_and_proxies_come_from_the_environment():
    settings = operator_settings({"CANAL_TRUSTED_HOSTS": "canal.test, www.canal.test",
                                  "CANAL_TRUSTED_PROXIES": "1"})
    assert settings["TRUSTED_HOSTS"] == ["canal.test", "www.canal.test"]
    assert settings["CANAL_TRUSTED_PROXIES"] == 1
    assert operator_settings({})["TRUSTED_HOSTS"] is None
    with pytest.raises(SystemExit, match="CANAL_TRUSTED_PROXIES = 'many'"):
        operator_settings({"CANAL_TRUSTED_PROXIES": "many"})


def _stylesheet(response) -> str:
    return next(a["href"] for t, a in Page(response.get_data(as_text=True)).elements
                if t == "link" and a.get("rel") == "stylesheet")


def test_the_mount_prefix_is_taken_only_from_the_configured_proxy():
    headers = {"X-Forwarded-Prefix": "/canal", "X-Forwarded-Proto": "https"}
    untrusted = make()
    assert _stylesheet(untrusted.get("/sites/", headers=headers)) == "/static/site.css"
    # A SCRIPT_NAME header is no setting either (gunicorn maps none into the environ).
    assert _stylesheet(untrusted.get("/sites/", headers={"SCRIPT_NAME": "/x"})) == "/static/site.css"
    behind_nginx = make(CANAL_TRUSTED_PROXIES=1)
    assert _stylesheet(behind_nginx.get("/sites/", headers=headers)) == "/canal/static/site.css"


@pytest.mark.parametrize("prefix", ["/a b", "/<x>", "/..", "/a/../b", "/" + "a/" * 9])
def test_a_mount_prefix_that_is_not_a_plain_path_is_refused(prefix):
    response = make(CANAL_TRUSTED_PROXIES=1).get("/sites/", headers={"X-Forwarded-Prefix": prefix})
    assert response.status_code == 400
    assert prefix.encode() not in response.data
