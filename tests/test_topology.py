"""The production topology as the open internet meets it: nginx (deploy/nginx.conf) in front of
gunicorn on a unix socket, both started here on free loopback ports (issue 17)."""
from __future__ import annotations

import gzip
import http.client
import random
import re
import socket
import threading
import time
from urllib.parse import quote

import pytest

from canal.assets import Manifest
from conftest import DATA
from topology import Topology, fetch

ROOT = DATA.parent.parent

SLOW_CONNECTIONS = 200
HOLD_SECONDS = 30


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    topology = Topology(tmp_path_factory.mktemp("nginx"), DATA / "minimal.toml")
    yield topology
    topology.stop()


def test_nginx_serves_pages_static_files_and_the_proxy_cache(site):
    status, body, headers = fetch(site.base + "/events/")
    assert status == 200 and "北运河" in body.decode()
    assert headers["Server"] == "nginx"  # no version, and gunicorn is not what answers
    assert "s-maxage=600" in headers["Cache-Control"] and "stale-if-error" in headers["Cache-Control"]
    again = fetch(site.base + "/events/")[2]
    assert again["X-Cache"] == "HIT" and again["ETag"] == headers["ETag"]
    # Our validators go through the cache: a current copy costs a 304.
    assert fetch(site.base + "/events/", {"If-None-Match": headers["ETag"]})[0] == 304
    css_status, css, css_headers = fetch(site.base + "/static/site.css", {"Accept-Encoding": "gzip"})
    assert css_status == 200 and css_headers.get("Content-Encoding") == "gzip"
    assert "X-Cache" not in css_headers  # from disk, not through the app
    # Pages link assets under content-hashed names: nginx serves those from disk too, for a year.
    [hashed] = re.findall(r'href="(/static/site\.[0-9a-f]{12}\.css)"', body.decode())
    status, kept, kept_headers = fetch(site.base + hashed, {"Accept-Encoding": "gzip"})
    assert status == 200 and kept_headers.get("Content-Encoding") == "gzip" and "X-Cache" not in kept_headers
    assert "immutable" in kept_headers["Cache-Control"] and "max-age=31536000" in kept_headers["Cache-Control"]
    assert gzip.decompress(kept) == (ROOT / "static" / "site.css").read_bytes()
    # The embed's script and style are read by other sites' pages: CORS, whatever the name.
    for name in ("/static/embed.js", "/static/embed.css", "/static/embed-resize.js",
                 "/static/" + Manifest.build(ROOT / "static").url_name("embed.js")):
        status, _, embed_headers = fetch(site.base + name)
        assert status == 200 and embed_headers.get("Access-Control-Allow-Origin") == "*", name
    health = fetch(site.base + "/healthz")[2]
    assert "X-Cache" not in health and "no-store" in health["Cache-Control"]


def test_forwarded_headers_from_a_client_are_replaced_by_nginx(site):
    status, body, _ = fetch(site.base + "/sites/", {"X-Forwarded-Prefix": "/evil",
                                                    "X-Forwarded-Host": "evil.example",
                                                    "SCRIPT_NAME": "/evil"})
    assert status == 200 and b"/evil" not in body and b"evil.example" not in body
    redirect = http.client.HTTPConnection("127.0.0.1", site.port, timeout=10)
    redirect.request("GET", "/events", headers={"Host": "evil.example"})
    answer = redirect.getresponse()
    assert answer.status == 308 and answer.getheader("Location") == "/events/"


def test_nginx_serves_the_site_below_a_path(tmp_path):
    events = tmp_path / "events.toml"
    events.write_text((DATA / "minimal.toml").read_text(encoding="utf-8").replace(
        'base_url = "https://canal.test"', 'base_url = "https://canal.test/canal"'), encoding="utf-8")
    run = tmp_path / "run"
    run.mkdir()
    site = Topology(run, events, workers=1, threads=2, mount="/canal")
    try:
        status, body, _ = fetch(site.base + "/canal/sites/", {"X-Forwarded-Prefix": "/evil"})
        page = body.decode()
        [css] = re.findall(r'"(/canal/static/site\.[0-9a-f]{12}\.css)"', page)
        assert status == 200 and "/evil" not in page
        assert fetch(site.base + css)[0] == 200  # from disk under the prefix
        assert fetch(site.base + "/sites/")[0] == 404  # nothing is served outside the prefix
    finally:
        site.stop()


def _slow_socket(index: int) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", PORT[0]), timeout=5)
    sock.setblocking(False)
    if index % 2:  # half send a request one byte at a time, half say nothing at all
        sock.send(b"G")
    return sock


PORT = [0]


def test_two_hundred_slow_clients_do_not_slow_a_normal_visitor(site):
    PORT[0] = site.port
    sockets = [_slow_socket(i) for i in range(SLOW_CONNECTIONS)]
    latencies, errors = [], []
    stop = threading.Event()

    def visitor():
        paths = ["/", "/events/", "/en/calendar/", "/feeds/all.ics", "/api/events.json", "/plan/"]
        while not stop.is_set():
            path = random.choice(paths)
            started = time.perf_counter()
            try:
                status = fetch(site.base + path, timeout=10)[0]
                if status != 200:
                    errors.append(f"{path}: {status}")
            except OSError as err:
                errors.append(f"{path}: {err}")
            latencies.append(time.perf_counter() - started)
            time.sleep(0.05)

    thread = threading.Thread(target=visitor)
    thread.start()
    reopened = 0
    try:
        deadline = time.monotonic() + HOLD_SECONDS
        while time.monotonic() < deadline:
            for i, sock in enumerate(sockets):
                try:
                    if i % 2:
                        sock.send(b"E")  # never a whole request line
                    elif sock.recv(1, socket.MSG_PEEK) == b"":
                        raise ConnectionError  # nginx gave up on it: the attacker comes back
                except BlockingIOError:
                    pass
                except OSError:
                    sock.close()
                    sockets[i] = _slow_socket(i)
                    reopened += 1
            time.sleep(1)
    finally:
        stop.set()
        thread.join()
        for sock in sockets:
            sock.close()
    latencies.sort()
    p99 = latencies[int(len(latencies) * 0.99) - 1]
    assert errors == []
    assert len(latencies) > 100
    # The bound for a normal visitor with the attackers holding their connections.
    assert p99 < 1.0, (p99, latencies[-5:])


MARK = '"><zq'
METHODS = ["GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "TRACE", "PATCH", "PROPFIND", "CONNECT",
           "get", "BREW"]
PATHS = ["/", "/events/", "/events/{m}/", "/events/{m}.ics", "/sites/{m}/", "/feeds/sites/{m}.ics",
         "/calendar/{m}/05/", "/calendar/2027/{m}/", "/en/events/?q={m}", "/events/?area={m}",
         "/events/?from={m}", "/events/?page={m}", "/api/events.json?site={m}", "/api/events.json?limit={m}",
         "/plan/?o={m}", "/plan.ics?o={m}@2027-05-01", "/plan/?add={m}", "/static/{m}",
         "/static/../app.py", "/%2e%2e/%2e%2e/etc/passwd", "/events?{m}=1", "/{m}", "/en/{m}/",
         "/healthz?{m}", "/sites//{m}", "/events/%0d%0aSet-Cookie:{m}/"]


def _hostile(i: int) -> tuple[str, str, dict, bytes | None]:
    rng = random.Random(i)
    token = f"{MARK}{i}"
    junk = rng.choice([token, token.replace('"', "%22").replace("<", "%3C").replace(">", "%3E"),
                       "x" * rng.choice([1, 300, 3000]), "%00", "%ff%fe", "..%2f..%2f", "𝔘𝔫𝔦"])
    # Raw quotes and angle brackets go on the wire; what http.client cannot send is %-encoded.
    path = quote(rng.choice(PATHS).replace("{m}", junk), safe="/?=&%:@,;+!$'()*-._~\"<>#[]")
    headers = {}
    for name, value in rng.sample([
            ("Host", rng.choice(["evil.example", "127.0.0.1", "a" * 300, "canal.test:99"])),
            ("X-Forwarded-For", "1.2.3.4, <zq>"), ("X-Forwarded-Host", "evil.example"),
            ("X-Forwarded-Prefix", "/<zq>"), ("X-Forwarded-Proto", "gopher"), ("SCRIPT_NAME", "/zq"),
            ("Accept-Language", token), ("If-None-Match", token), ("If-Modified-Since", token),
            ("Range", "bytes=0-1,5-"), ("Cookie", token), ("Referer", token), ("User-Agent", token),
            ("Accept-Encoding", "gzip, br, " + token), ("Content-Type", "application/json")], 4):
        headers[name] = value.encode("latin-1", "replace").decode("latin-1")
    body = token.encode() * rng.choice([0, 1, 100]) if rng.random() < 0.2 else None
    return rng.choice(METHODS), path, headers, body


def test_a_hostile_run_gets_no_5xx_and_no_reflected_input(site):
    statuses, reflected, server_errors = {}, [], []
    connection = http.client.HTTPConnection("127.0.0.1", site.port, timeout=10)
    for i in range(5000):
        method, path, headers, body = _hostile(i)
        try:
            connection.request(method, path, body=body, headers=headers)
            answer = connection.getresponse()
            data = answer.read()
        except (http.client.HTTPException, OSError):
            connection.close()  # nginx closes on what it refuses; that is an answer too
            connection = http.client.HTTPConnection("127.0.0.1", site.port, timeout=10)
            statuses["closed"] = statuses.get("closed", 0) + 1
            continue
        statuses[answer.status] = statuses.get(answer.status, 0) + 1
        if answer.status >= 500:
            server_errors.append((method, path, answer.status))
        everything = data + "".join(f"{k}: {v}\n" for k, v in answer.getheaders()).encode("latin-1", "replace")
        if b"<zq" in everything:
            reflected.append((method, path, headers))
        if answer.getheader("Connection", "").lower() == "close":
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", site.port, timeout=10)
    assert server_errors == [], server_errors[:10]
    assert reflected == [], reflected[:5]
    assert statuses.get(200, 0) > 200 and statuses.get(404, 0) > 200, statuses  # the run reached the app
