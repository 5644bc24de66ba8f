"""The phone section of `make bench`: each page as a phone on a slow mobile network gets it.

Chromium (Debian's, through Playwright) at 375 px with Lighthouse's "slow 4G" numbers:
150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up, the CPU slowed 4x. For each page it
reports what crossed the network on a first visit (bytes as transferred, i.e. compressed,
headers included; requests), the Largest Contentful Paint, and how many requests a repeat
visit still sends (the goal: the page alone). Map tiles belong to the tile server, not to
us, and cannot be reached here: they are blocked and not counted.

Run on its own: `python bench/phone.py BASE_URL` against a running server.
"""
from __future__ import annotations

import os
import shutil
import sys
from urllib.parse import urlsplit

LATENCY_MS = 150
DOWN_BYTES_PER_S = 1_600_000 / 8
UP_BYTES_PER_S = 750_000 / 8
CPU_SLOWDOWN = 4
PHONE = {"viewport": {"width": 375, "height": 812}, "device_scale_factor": 2,
         "is_mobile": True, "has_touch": True, "locale": "zh-CN",
         "user_agent": ("Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 "
                        "(KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36")}
# Budgets from the issue: the home page carries the map; every other page is light.
HOME_BYTES, OTHER_BYTES, LCP_S = 120_000, 60_000, 1.5
LCP_SCRIPT = """
window.__lcp = 0;
new PerformanceObserver(list => {
  for (const entry of list.getEntries()) window.__lcp = entry.startTime;
}).observe({type: "largest-contentful-paint", buffered: true});
"""


class NetworkLog:
    """Requests to our own origin as Chromium's DevTools protocol reports them."""

    def __init__(self, cdp, origin: str):
        self.origin = origin
        self.reset()
        cdp.on("Network.requestWillBeSent", self._sent)
        cdp.on("Network.requestServedFromCache", self._cached)
        cdp.on("Network.responseReceived", self._received)
        cdp.on("Network.loadingFinished", self._finished)

    def reset(self) -> None:
        self.urls: dict[str, str] = {}
        self.from_cache: set[str] = set()
        self.bytes = 0

    def _sent(self, event) -> None:
        url = event["request"]["url"]
        if url.startswith(self.origin):
            self.urls[event["requestId"]] = url

    def _cached(self, event) -> None:
        self.from_cache.add(event["requestId"])

    def _received(self, event) -> None:
        response = event["response"]
        if response.get("fromDiskCache") or response.get("fromPrefetchCache"):
            self.from_cache.add(event["requestId"])

    def _finished(self, event) -> None:
        if event["requestId"] in self.urls:
            self.bytes += int(event.get("encodedDataLength", 0))

    @property
    def network_requests(self) -> list[str]:
        """What went over the network (not answered from the browser's cache)."""
        return [url for rid, url in self.urls.items() if rid not in self.from_cache]


def chromium() -> str:
    return os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


# LCP on a 2-core machine moves with whatever else runs: the median of a few first visits.
LCP_SAMPLES = 3


def measure(browser, base: str, path: str) -> dict:
    """First and repeat visit of one page on a throttled phone; LCP is the median of
    LCP_SAMPLES first visits, each in a fresh browser context (an empty cache)."""
    samples = [visit(browser, base, path) for _ in range(LCP_SAMPLES)]
    lcps = sorted(sample["lcp_ms"] for sample in samples)
    # Bytes, requests and the repeat visit: the worst sample, not a lucky one.
    result = max(samples, key=lambda sample: (sample["bytes"], sample["requests"]))
    lcp_ms = lcps[len(lcps) // 2]
    repeat = max((sample["repeat"] for sample in samples), key=len)
    budget = HOME_BYTES if path in ("/", "/en/") else OTHER_BYTES
    return {"path": path, "bytes": result["bytes"], "requests": result["requests"],
            "lcp_s": round(lcp_ms / 1000, 2), "lcp_samples_s": [round(v / 1000, 2) for v in lcps],
            "repeat_requests": len(repeat), "repeat_urls": repeat, "budget_bytes": budget,
            "within_budget": result["bytes"] <= budget
            and all(urlsplit(url).path == path for url in repeat)
            and (path not in ("/", "/en/") or lcp_ms / 1000 <= LCP_S)}


def visit(browser, base: str, path: str) -> dict:
    """One first visit and one repeat visit, in a new context."""
    context = browser.new_context(**PHONE)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", {
        "offline": False, "latency": LATENCY_MS,
        "downloadThroughput": DOWN_BYTES_PER_S, "uploadThroughput": UP_BYTES_PER_S})
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": CPU_SLOWDOWN})
    host = urlsplit(base).netloc
    # Everything not ours (tiles) is blocked by the protocol, which, unlike Playwright's
    # routing, leaves the browser's cache on.
    cdp.send("Network.setBlockedURLs", {"urls": [f"*://*.{suffix}/*" for suffix in
                                                 ("openstreetmap.org", "tianditu.gov.cn", "is.autonavi.com")]})
    page.add_init_script(LCP_SCRIPT)
    log = NetworkLog(cdp, f"http://{host}")
    try:
        # "networkidle", not "load": the maps load their scripts after the page, and a
        # first visit that leaves before they arrive would undercount its bytes and make
        # the repeat visit fetch them.
        page.goto(base + path, wait_until="networkidle")
        # A map that draws itself on a phone (the home map; a site's map waits for a tap)
        # loads its scripts one after another, with CPU work between them that can look
        # idle to the network: wait until it is drawn.
        if page.evaluate("""() => !!document.querySelector("script.canal-map-data[data-scripts]")
                                   && !document.querySelector(".canal-map-show")"""):
            page.wait_for_selector("script.canal-map-data[data-drawn]", state="attached", timeout=60_000)
            page.wait_for_load_state("networkidle")
        page.wait_for_timeout(500)
        lcp_ms = page.evaluate("window.__lcp")
        first = {"bytes": log.bytes, "requests": len(log.network_requests)}
        log.reset()
        page.goto(base + path, wait_until="load")
        page.wait_for_timeout(500)
        repeat = log.network_requests
    finally:
        context.close()
    return {"lcp_ms": lcp_ms, **first, "repeat": repeat}


def phone_stage(base: str, paths: list[str]) -> list[dict]:
    """Measure each path; needs Chromium (the tests' `make test` installs it)."""
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium(), args=[
            "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        try:
            return [measure(browser, base, path) for path in paths]
        finally:
            browser.close()


def print_phone(rows: list[dict]) -> None:
    print(f"\nPhone (375 px, {LATENCY_MS} ms RTT, 1.6 Mbit/s, CPU x{CPU_SLOWDOWN})")
    print(f"{'path':<34} {'kB':>7} {'requests':>9} {'LCP s':>6} {'repeat':>7} {'budget':>7}")
    for r in rows:
        print(f"{r['path']:<34} {r['bytes'] / 1000:>7.1f} {r['requests']:>9} {r['lcp_s']:>6} "
              f"{r['repeat_requests']:>7} {'ok' if r['within_budget'] else 'OVER':>7}")


if __name__ == "__main__":
    rows = phone_stage(sys.argv[1].rstrip("/"), sys.argv[2:] or ["/", "/events/"])
    print_phone(rows)
