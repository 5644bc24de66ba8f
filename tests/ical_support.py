"""Helpers for the feed tests: every feed of a catalog, and the node parsers (ical.js, node-ical)."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from canal import ical
from canal.loader import parse
from canal.model import Catalog

ROOT = Path(__file__).resolve().parent.parent
JS = Path(__file__).parent / "js"
DATA = Path(__file__).parent / "data"
LANGS = ("zh", "en")


def every_selection(catalog: Catalog) -> list[tuple[str, str | None]]:
    """(kind, id) of every feed the site serves for this catalog."""
    found = [("all", None)]
    for kind, ids in (("areas", catalog.areas), ("sites", catalog.sites),
                      ("categories", catalog.categories), ("events", catalog.events)):
        found += [(kind, id) for id in ids]
    return found


def write_feeds(catalog: Catalog, ledger, folder: Path) -> dict[Path, tuple[str, str, str | None]]:
    """Write every feed in both languages to `folder`; map each file to (lang, kind, id)."""
    cache = ical.FeedCache(catalog, ledger)
    files = {}
    for lang in LANGS:
        for kind, id in every_selection(catalog):
            path = folder / f"{lang}-{kind}-{id or 'all'}.ics"
            path.write_bytes(cache.get(lang, kind, id).body)
            files[path] = (lang, kind, id)
    return files


def run_node(script: str, *args: str) -> dict:
    """Run tests/js/<script> with node from the repo root (node_modules from `make node`)."""
    node = shutil.which("node")
    if node is None or not (ROOT / "node_modules" / "ical.js").is_dir():
        pytest.fail("node and node_modules are needed: run `make node` (npm ci)")
    done = subprocess.run([node, str(JS / script), *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=300,
                          # A zone far from Beijing: a floating time would show up as wrong.
                          env={**os.environ, "TZ": "America/New_York"})
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


LIBICAL_CHECK = ROOT / "build" / "ical_check"


def run_libical(first: str, until: str, *files) -> dict:
    """Read feeds with libical (build/ical_check, from tools/ical-check/ical_check.c):
    per file its parser errors, icalrestriction_check result, and each VEVENT's occurrences
    in [first, until) (YYYYMMDD). Built with `make libical` when missing; without libical
    the test fails under CI and is skipped elsewhere."""
    if not LIBICAL_CHECK.exists():
        subprocess.run(["make", "libical"], cwd=ROOT, capture_output=True, timeout=600)
    if not LIBICAL_CHECK.exists():
        message = "build/ical_check is missing: run `make libical` (needs Debian's libical-dev)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    done = subprocess.run([str(LIBICAL_CHECK), first, until, *map(str, files)], capture_output=True,
                          text=True, timeout=300, env={**os.environ, "TZ": "America/New_York"})
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)


# --- Catalogs with awkward text: escaping, folding, emoji, injection attempts ------------

ODD_TITLE = 'Fish; chips, and \\ "more"\n第二行 🚣🏮'
ODD_DESCRIPTION = "很长的中文描述，" * 30 + "🎉"
HOSTILE_TITLE = 'Boat\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:evil@x <b>"q"</b> ${x} `y` {{ z }}'
HOSTILE_DESCRIPTION = "line\r\nDTSTART:19700101T000000\r\nATTACH:http://evil"


def toml_str(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's; emoji stay literal)."""
    return json.dumps(text, ensure_ascii=False)


def with_event(extra_toml: str) -> Catalog:
    """The minimal catalog plus one more event written in TOML."""
    return parse((DATA / "minimal.toml").read_text(encoding="utf-8") + "\n" + extra_toml)


def odd_text_catalog() -> Catalog:
    """Minimal plus event `odd-text`: iCalendar's special characters, a newline, emoji."""
    return with_event(f"""
[events.odd-text]
title = {{ zh = {toml_str(ODD_TITLE)}, en = "Odd, text; here" }}
site = "canal-museum"
categories = ["food"]
start = 2027-03-01T10:00:00
end = 2027-03-01T11:00:00
description = {{ zh = {toml_str(ODD_DESCRIPTION)} }}
""")


def hostile_catalog() -> Catalog:
    """Minimal plus event `hostile`, whose text tries to end the VEVENT and start another."""
    return with_event(f"""
[events.hostile]
title = {{ zh = {toml_str(HOSTILE_TITLE)} }}
site = "canal-museum"
categories = ["food"]
start = 2027-03-02T10:00:00
end = 2027-03-02T11:00:00
description = {{ zh = {toml_str(HOSTILE_DESCRIPTION)} }}
""")
