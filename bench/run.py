"""`make bench`: how fast the site loads, builds and serves, as ratios in one run.

1. Build: synthetic catalogs of 100, 1,000 and 10,000 events over 1,000 sites;
   time load-and-validate, building every feed, building the map; size of all.ics.
2. Serve: gunicorn on loopback with the 1,000-event catalog; wrk measures
   requests/s and p50/p99 for each page and feed (asked for as browsers do, so they
   come brotli-compressed) and for a static file of the same compressed size served
   by the same server. The ratio page/static is the figure that
   matters: it says how close a cached page is to the cheapest possible response.

Prints a table and writes bench/results.json. Takes a few minutes on 2 cores.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from phone import print_phone  # noqa: E402
from synth import catalog_toml, years_forward  # noqa: E402

from canal.loader import load  # noqa: E402

SIZES = (100, 1000, 10000)
SERVE_SIZE = 1000
DURATION = os.environ.get("BENCH_DURATION", "5s")
CONNECTIONS = os.environ.get("BENCH_CONNECTIONS", "16")
TODAY = date(2026, 12, 1)
# What a browser sends: pages and feeds are measured as they travel, compressed.
BROWSER = {"Accept-Encoding": "gzip, deflate, br"}


def best_of(runs: int, work) -> tuple[float, object]:
    """The fastest of a few runs (least disturbed by the rest of the machine), and its result."""
    best, result = float("inf"), None
    for _ in range(runs):
        start = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - start)
    return best, result


def full_ledger(catalog):
    """A ledger that knows every event, as a maintained events.revisions.toml does
    (the app reads it from that file; making it is not part of building feeds)."""
    from canal.revisions import Ledger
    ledger, _ = Ledger().updated(catalog, datetime(2026, 11, 27, tzinfo=UTC))
    return ledger


def all_feeds(catalog, ledger) -> dict:
    """Every feed the site serves for this catalog, in both languages."""
    from canal import ical
    feeds = ical.FeedCache(catalog, ledger)  # as the app keeps them
    subsets = [("all", None)] + [("areas", a) for a in catalog.areas] + \
              [("sites", s) for s in catalog.sites] + [("categories", c) for c in catalog.categories] + \
              [("events", e) for e in catalog.events]
    return {(lang, kind, id or ""): feeds.get(lang, kind, id).body
            for lang in ("zh", "en") for kind, id in subsets}


def both_maps(catalog, labels) -> list:
    from canal import maps
    maps.use_local_assets("/static")
    now = datetime.combine(TODAY, datetime.min.time(), catalog.tz)
    return [maps.home_map(catalog, lang, now, maps.tiles_for("osm", lang), labels[lang])
            for lang in ("zh", "en")]


def map_labels() -> dict:
    """The map's interface words, as the app would pass them (needs a request context)."""
    from flask import g

    from canal import create_app
    from canal.views.maps import map_labels as labels_now
    app = create_app({"CANAL_EVENTS": str(ROOT / "tests" / "data" / "minimal.toml")})
    found = {}
    for lang in ("zh", "en"):
        with app.test_request_context("/"):
            g.lang = lang
            found[lang] = labels_now()
    return found


def build_stage(workdir: Path) -> list[dict]:
    labels = map_labels()
    rows = []
    for size in SIZES:
        path = workdir / f"events-{size}.toml"
        path.write_text(catalog_toml(size), encoding="utf-8")
        runs = 3
        # Default arguments bind this size's values (the lambdas run within the iteration anyway).
        load_s, catalog = best_of(runs, lambda path=path: load(path))
        ledger = full_ledger(catalog)
        feeds_s, feeds = best_of(runs, lambda catalog=catalog, ledger=ledger: all_feeds(catalog, ledger))
        map_s, _ = best_of(runs, lambda catalog=catalog: both_maps(catalog, labels))
        all_ics = feeds[("zh", "all", "")]
        rows.append({"events": size, "sites": len(catalog.sites),
                     "recurring": sum(e.recurring for e in catalog.events.values()),
                     "load_validate_s": round(load_s, 3), "build_feeds_s": round(feeds_s, 3),
                     "feeds_built": len(feeds), "build_map_s": round(map_s, 3),
                     "all_ics_bytes": len(all_ics)})
        print(f"  {size:>6} events: load {load_s:.3f}s, {len(feeds)} feeds {feeds_s:.3f}s, "
              f"map {map_s:.3f}s, all.ics {len(all_ics) / 1024:.0f} KiB", flush=True)
    return rows


FEED_BUDGET_YEARS = 5
FEED_BUDGET_DAY = date(2031, 6, 1)  # a day in the fifth year of the shipped content


def feed_budget_stage() -> dict:
    """The largest feed (by bytes, and by VEVENTs) of five years of the shipped mix, as
    served on a day in the fifth year (feed window on), and all.ics without the window."""
    from canal import ical
    catalog = years_forward(load(ROOT / "events.toml"), FEED_BUDGET_YEARS)
    ledger = full_ledger(catalog)
    feeds = ical.FeedCache(catalog, ledger)
    subsets = [("all", None)] + [("areas", a) for a in catalog.areas] + \
              [("sites", s) for s in catalog.sites] + [("categories", c) for c in catalog.categories] + \
              [("events", e) for e in catalog.events]
    sizes = []
    for lang in ("zh", "en"):
        for kind, id in subsets:
            body = feeds.get(lang, kind, id, FEED_BUDGET_DAY.year, today=FEED_BUDGET_DAY).body
            name = ical.feed_path(kind, id, lang)
            sizes.append((len(body), body.count(b"BEGIN:VEVENT"), name))
    largest = max(sizes)
    most = max(sizes, key=lambda found: (found[1], found[0]))
    unwindowed = feeds.get("zh", "all", None, FEED_BUDGET_DAY.year).body
    return {"events": len(catalog.events), "day": FEED_BUDGET_DAY.isoformat(), "feeds": len(sizes),
            "largest": {"feed": largest[2], "bytes": largest[0], "vevents": largest[1]},
            "most_vevents": {"feed": most[2], "bytes": most[0], "vevents": most[1]},
            "all_ics_without_window": {"bytes": len(unwindowed),
                                       "vevents": unwindowed.count(b"BEGIN:VEVENT")}}


def print_feed_budget(row: dict) -> None:
    largest, most, whole = row["largest"], row["most_vevents"], row["all_ics_without_window"]
    print(f"\nFeed budget ({row['events']} events over {FEED_BUDGET_YEARS} years, on {row['day']}; "
          "budget 512 KiB and 1,000 VEVENTs)")
    print(f"largest feed  {largest['feed']:<34} {largest['bytes'] / 1024:>7.1f} KiB {largest['vevents']:>5} VEVENTs")
    print(f"most VEVENTs  {most['feed']:<34} {most['bytes'] / 1024:>7.1f} KiB {most['vevents']:>5} VEVENTs")
    print(f"without window /feeds/all.ics {'':<19} {whole['bytes'] / 1024:>7.1f} KiB {whole['vevents']:>5} VEVENTs")


def worst_case_stage(workdir: Path) -> list[dict]:
    """The requests that cannot come from a cache, at 10,000 events, in-process: an API
    answer for a filter never asked before, and a 50-day plan never asked before."""
    from canal import create_app
    path = workdir / "events-10000.toml"
    app = create_app({"CANAL_EVENTS": str(path), "CANAL_NOW": "2026-12-01T09:00:00"})
    client = app.test_client()
    for warm in ("/api/events.json?q=warm", "/plan/?o=event-1@2026-12-02"):
        client.get(warm)  # first-request set-up (templates, babel) out of the way
    catalog = app.extensions["canal_catalog"]
    from canal.recurrence import occurrences
    start = date(2026, 12, 2)
    keys, day = [], start
    while len(keys) < 50:  # one real occurrence on each of 50 different days
        found = occurrences(catalog, day, day + timedelta(days=1))
        if found:
            keys.append(f"{found[0].event.id}@{day.isoformat()}")
        day += timedelta(days=1)
    cases = [("API, cache miss (default window)",
              lambda i: f"/api/events.json?q=event&x={i}&from=2026-12-0{1 + i % 2}"),
             ("API, cache miss (one area)", lambda i: f"/api/events.json?area=wuqing&to=2027-11-{10 + i:02d}"),
             ("plan of 50 days, cache miss", lambda i: "/plan/?o=" + ",".join(keys[i % 2:] + keys[:i % 2]))]
    rows = []
    for label, url in cases:
        times, cpu = [], []
        for i in range(3):
            app.extensions.pop("canal_page_cache", None)
            app.extensions.pop("canal_plan_cache", None)
            started, started_cpu = time.perf_counter(), time.process_time()
            response = client.get(url(i))
            times.append(time.perf_counter() - started)
            cpu.append(time.process_time() - started_cpu)  # apart from what other processes take
            assert response.status_code == 200, (url(i), response.status_code)
        rows.append({"case": label, "best_ms": round(min(times) * 1000, 1),
                     "worst_ms": round(max(times) * 1000, 1), "cpu_best_ms": round(min(cpu) * 1000, 1),
                     "bytes": len(response.data)})
        print(f"  {label}: best {min(times) * 1000:.0f} ms (CPU {min(cpu) * 1000:.0f} ms), "
              f"worst {max(times) * 1000:.0f} ms, {len(response.data) / 1024:.0f} KiB", flush=True)
    return rows


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wrk(url: str, headers: dict | None = None) -> dict:
    """Requests/s and latency percentiles from one wrk run."""
    command = ["wrk", "-t2", f"-c{CONNECTIONS}", f"-d{DURATION}", "--latency", url]
    for name, value in (headers or {}).items():
        command[1:1] = ["-H", f"{name}: {value}"]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)

    def percentile(p: str) -> float:
        value, unit = re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M).groups()
        return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
    return {"rps": round(rps), "p50_ms": round(percentile("50"), 2),
            "p99_ms": round(percentile("99"), 2), "errors": int(non_2xx.group(1)) if non_2xx else 0}


def best_pair(url: str, twin: str, headers: dict | None = None, twin_headers: dict | None = None):
    """wrk on the URL and its static twin, alternating twice; the better run of each.

    On two cores the load generator competes with the server, so single runs swing;
    alternating and keeping the best of each side makes the ratio steadier."""
    runs = [(wrk(url, headers), wrk(twin, twin_headers)) for _ in range(2)]
    def best(side: int) -> dict:
        return max((r[side] for r in runs), key=lambda x: x["rps"])
    return best(0), best(1)


def fetch(url: str, headers: dict | None = None) -> tuple[int, bytes, dict]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as err:
        return err.code, err.read(), dict(err.headers)


def start_server(command: list[str], events: Path, **settings: str) -> tuple[subprocess.Popen, str]:
    """Start `command` on the shipped clock with `events`, listening on the free loopback
    port it is given as {port}; returns it and its URL once /healthz answers 200."""
    port = free_port()
    env = {**os.environ, "CANAL_EVENTS": str(events), "CANAL_ACCESS_LOG": "/dev/null",
           "CANAL_NOW": "2026-12-01T09:00:00",
           **{name: value.replace("{port}", str(port)) for name, value in settings.items()}}
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            if fetch(base + "/healthz")[0] == 200:
                break
        except OSError:
            pass
        time.sleep(0.1)
    return server, base


def start_gunicorn(events: Path) -> tuple[subprocess.Popen, str]:
    """gunicorn alone, as `make serve` runs it behind nginx, on a free loopback port."""
    return start_server([str(Path(sys.executable).with_name("gunicorn")), "--config", "gunicorn.conf.py",
                         "app:app"], events, CANAL_BIND="127.0.0.1:{port}")


# The page types a visitor opens, on the shipped content.
PHONE_PAGES = ["/", "/en/", "/events/", "/calendar/2027/05/", "/sites/",
               "/events/farm-food-festival/", "/sites/xianghe-wharf/", "/en/events/"]


def start_make_serve(events: Path, run: Path) -> tuple[subprocess.Popen, str]:
    """`make serve` (deploy/serve.py: nginx in front of gunicorn on a unix socket) on a
    free loopback port, with its own run folder."""
    return start_server([sys.executable, str(ROOT / "deploy" / "serve.py")], events,
                        CANAL_RUN_DIR=str(run), CANAL_LISTEN="127.0.0.1:{port}")


def phone_stage_on_shipped_content() -> list[dict]:
    """As the visitor gets it: through nginx, as `make serve` runs it."""
    from phone import phone_stage
    with tempfile.TemporaryDirectory(prefix="canal-bench-serve-") as run:
        server, base = start_make_serve(ROOT / "events.toml", Path(run))
        try:
            return phone_stage(base, PHONE_PAGES)
        finally:
            server.terminate()
            server.wait(timeout=20)


def serve_stage(workdir: Path) -> list[dict]:
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: `make bench` installs Debian's wrk")
    events = workdir / f"events-{SERVE_SIZE}.toml"
    server, base = start_gunicorn(events)
    static_dir = ROOT / "static" / "bench"
    static_dir.mkdir(exist_ok=True)
    rows = []
    try:
        targets = [("/", "home"), ("/calendar/2027/05/", "calendar month"), ("/events/", "agenda"),
                   ("/feeds/all.ics", "all.ics")]
        for path, label in targets:
            # As browsers ask: the page comes compressed, and its twin has as many bytes.
            status, body, headers = fetch(base + path, BROWSER)
            fetch(base + path, BROWSER)  # warm the cache in another worker too
            if status != 200:
                rows.append({"path": path, "label": label, "status": status})
                print(f"  {path}: HTTP {status}, skipped", flush=True)
                continue
            twin = static_dir / f"{label.replace(' ', '-').replace('.', '-')}.bin"
            twin.write_bytes(b"x" * len(body))
            static_url = f"{base}/static/bench/{twin.name}"
            fetch(static_url)
            page, static = best_pair(base + path, static_url, BROWSER)
            row = {"path": path, "label": label, "bytes": len(body), "page": page, "static": static,
                   "encoding": headers.get("Content-Encoding", "identity")}
            row["ratio"] = round(row["page"]["rps"] / row["static"]["rps"], 2)
            rows.append(row)
            print(f"  {path}: {row['page']['rps']} req/s vs static {row['static']['rps']} "
                  f"→ {row['ratio']}x", flush=True)
            if path == "/feeds/all.ics":
                _, _, static_headers = fetch(static_url)
                page, static = best_pair(base + path, static_url,
                                         {**BROWSER, "If-None-Match": headers["ETag"]},
                                         {"If-None-Match": static_headers["ETag"]})
                row304 = {"path": path + " (304)", "label": "304 revalidation", "bytes": 0,
                          "page": page, "static": static}
                row304["ratio"] = round(row304["page"]["rps"] / row304["static"]["rps"], 2)
                rows.append(row304)
                print(f"  304: {row304['page']['rps']} req/s vs static {row304['static']['rps']} "
                      f"→ {row304['ratio']}x", flush=True)
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(static_dir, ignore_errors=True)
    return rows


def print_table(build: list[dict], serve: list[dict]) -> None:
    print("\nBuild (best of runs)")
    print(f"{'events':>7} {'load+validate':>14} {'all feeds':>10} {'map':>8} {'all.ics':>10} {'µs/event (load)':>16}")
    for r in build:
        per_event = r["load_validate_s"] / r["events"] * 1e6
        print(f"{r['events']:>7} {r['load_validate_s']:>13.3f}s {r['build_feeds_s']:>9.3f}s "
              f"{r['build_map_s']:>7.3f}s {r['all_ics_bytes'] / 1024:>8.0f}KiB {per_event:>16.0f}")
    print(f"\nServe ({SERVE_SIZE} events, gunicorn, wrk -c{CONNECTIONS} -d{DURATION})")
    print(f"{'path':<26} {'bytes':>9} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'static req/s':>13} {'ratio':>6}")
    for r in serve:
        if "page" not in r:
            print(f"{r['path']:<26} HTTP {r['status']}")
            continue
        p = r["page"]
        print(f"{r['path']:<26} {r['bytes']:>9} {p['rps']:>8} {p['p50_ms']:>8} {p['p99_ms']:>8} "
              f"{r['static']['rps']:>13} {r['ratio']:>6}")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        print("Building synthetic catalogs…", flush=True)
        build = build_stage(workdir)
        print("Worst cases at 10,000 events (cache misses)…", flush=True)
        worst = worst_case_stage(workdir)
        print("Serving under gunicorn…", flush=True)
        serve = serve_stage(workdir)
    print("Phone pages in Chromium (slow 4G)…", flush=True)
    phone = phone_stage_on_shipped_content()
    print("Feed budget over five years…", flush=True)
    budget = feed_budget_stage()
    print_table(build, serve)
    print_phone(phone)
    print_feed_budget(budget)
    results = {"machine": {"cores": os.cpu_count(), "python": sys.version.split()[0]},
               "build": build, "worst_case": worst, "serve": serve, "phone": phone,
               "feed_budget": budget}
    (ROOT / "bench" / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    print("\nWrote bench/results.json")


if __name__ == "__main__":
    main()
