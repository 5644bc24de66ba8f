"""Small catalogs written as TOML for the edge tests (tests/test_*_edges.py).

Built through the loader, as an editor's file would be, so the tests hold whatever shape
the model takes inside: they only use what the public functions give back.
"""
from __future__ import annotations

from canal.loader import LoadError, parse

HEAD = '''[meta]
name = { zh = "北运河", en = "North Canal" }
timezone = "Asia/Shanghai"
base_url = "https://canal.test"

[areas.tongzhou]
name = { zh = "通州", en = "Tongzhou" }

[categories.festival]
name = { zh = "节庆", en = "Festivals" }

[sites.wharf]
name = { zh = "码头", en = "Wharf" }
area = "tongzhou"
kind = { zh = "码头" }
lat = 39.88
lon = 116.70
precision_m = 1000
description = { zh = "码头。" }

[sites.museum]
name = { zh = "博物馆", en = "Museum" }
area = "tongzhou"
kind = { zh = "博物馆" }
lat = 39.88
lon = 116.80
precision_m = 100
description = { zh = "博物馆。" }
'''
# Lines of HEAD: an event table appended to it starts on line HEAD_LINES + 2.
HEAD_LINES = HEAD.count("\n")


def event_toml(event_id: str = "e", site: str = "wharf", **fields: str) -> str:
    """`[events.<id>]` with a title, site and category, then `fields` as raw TOML values."""
    lines = [f"\n[events.{event_id}]", f'title = {{ zh = "活动{event_id}", en = "Event {event_id}" }}',
             f'site = "{site}"', 'categories = ["festival"]']
    lines += [f"{name} = {value}" for name, value in fields.items()]
    return "\n".join(lines) + "\n"


def catalog_of(*events: str, head: str = HEAD):
    return parse(head + "".join(events), "events.toml")


def event_of(**fields: str):
    """The one event `e` of a catalog holding it alone."""
    return catalog_of(event_toml(**fields)).events["e"]


def problems(text: str) -> list[str]:
    """The loader's messages for `text` (which must have some)."""
    try:
        parse(text, "events.toml")
    except LoadError as err:
        return [str(p) for p in err.problems]
    raise AssertionError("the loader accepted the file")

# The shipped public holidays (State Council notices, with their sources).
ROOT_HOLIDAYS = __import__("pathlib").Path(__file__).resolve().parent.parent / "events.holidays.toml"
