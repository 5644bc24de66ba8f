"""The small holes an attacker or a careless proxy would find, each closed (issue 17)."""
from __future__ import annotations

import pytest

from canal import create_app
from canal.settings import Settings, StartupProblem
from conftest import DATA, NOW
from pages_html import Page, plain_asset


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
    settings = Settings.from_environ({"CANAL_TRUSTED_HOSTS": "canal.test, www.canal.test",
                                      "CANAL_TRUSTED_PROXIES": "1"})
    assert settings.trusted_hosts == ("canal.test", "www.canal.test")
    assert settings.trusted_proxies == 1
    assert Settings.from_environ({}).trusted_hosts == ()
    with pytest.raises(StartupProblem, match="CANAL_TRUSTED_PROXIES = 'many'"):
        Settings.from_environ({"CANAL_TRUSTED_PROXIES": "many"})


def _stylesheet(response) -> str:
    """The page's first stylesheet, without the content hash in its name."""
    return plain_asset(next(a["href"] for t, a in Page(response.get_data(as_text=True)).elements
                            if t == "link" and a.get("rel") == "stylesheet"))


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


def _footer(response) -> Page:
    return Page(response.get_data(as_text=True).split('<footer class="site-footer">', 1)[1])


def test_the_legal_footer_shows_each_filing_number_only_when_set():
    plain = make()
    assert "beian" not in plain.get("/").get_data(as_text=True)
    assert "审图号" not in plain.get("/").get_data(as_text=True)
    filed = make(CANAL_ICP="京ICP备00000000号-1", CANAL_POLICE_FILING="京公网安备00000000000000号",
                 CANAL_MAP_REVIEW_NO="GS京(2026)0000号")
    home = filed.get("/")
    footer = _footer(home)
    links = {a["href"]: a for t, a in footer.elements if t == "a" and "filing" in a.get("class", "")}
    assert set(links) == {"https://beian.miit.gov.cn/", "https://beian.mps.gov.cn/"}
    assert "京ICP备00000000号-1" in footer.text and "京公网安备00000000000000号" in footer.text
    # The map review number goes with a map: under the home map, not on the agenda.
    assert "审图号：GS京(2026)0000号" in Page(home.get_data(as_text=True)).text
    assert "审图号" not in filed.get("/events/").get_data(as_text=True)
    assert "Map review number: GS京(2026)0000号" in filed.get("/en/").get_data(as_text=True)
    only_icp = make(CANAL_ICP="京ICP备00000000号-1")
    assert "beian.mps.gov.cn" not in only_icp.get("/").get_data(as_text=True)


def test_a_redirect_to_another_site_on_purpose_is_left_alone(app):
    from flask import redirect

    app.add_url_rule("/elsewhere-test", "elsewhere_test", lambda: redirect("https://other.example/x"))
    response = app.test_client().get("/elsewhere-test", headers={"Host": "canal.test"})
    assert response.headers["Location"] == "https://other.example/x"
