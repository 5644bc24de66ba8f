"""Google's Event structured data (issue 19): every upcoming event of the shipped catalog.

Each page's JSON-LD, read from the served HTML, is checked against Google's required and
recommended properties (../shared/data/visitor-notes.md §4). A recommended property may be
missing only where the content does not have the fact (no price text, no organiser):
nothing is invented to fill the list.
"""
from __future__ import annotations

import io
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from PIL import Image

from canal import create_app, jsonld, recurrence
from canal.loader import parse
from conftest import DATA, NOW
from pages_html import Page

ROOT = Path(__file__).parent.parent
SCHEMA = "https://schema.org/"
STATUSES = {SCHEMA + s for s in ("EventScheduled", "EventCancelled", "EventPostponed",
                                 "EventRescheduled", "EventMovedOnline")}
MODES = {SCHEMA + m for m in ("OfflineEventAttendanceMode", "OnlineEventAttendanceMode",
                              "MixedEventAttendanceMode")}
AVAILABILITY = {SCHEMA + a for a in ("InStock", "SoldOut", "PreOrder")}


@pytest.fixture(scope="module")
def shipped():
    app = create_app({"TESTING": True, "CANAL_EVENTS": str(ROOT / "events.toml"), "CANAL_NOW": NOW})
    return app, app.test_client(), app.extensions["canal_catalog"]


def is_absolute(url) -> bool:
    return isinstance(url, str) and urlsplit(url).scheme in ("http", "https") and bool(urlsplit(url).netloc)


def check_date(value: str, all_day: bool) -> None:
    if all_day:
        assert len(value) == 10, value
        datetime.strptime(value, "%Y-%m-%d")
    else:
        assert datetime.fromisoformat(value).utcoffset() is not None, value  # Google wants the offset


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_upcoming_event_has_googles_required_and_recommended_properties(shipped, lang):
    app, client, catalog = shipped
    now = datetime.fromisoformat(NOW).replace(tzinfo=catalog.tz)
    prefix = "/en" if lang == "en" else ""
    images_seen: dict[str, tuple[int, int]] = {}
    checked = 0
    for event in catalog.events.values():
        coming = recurrence.upcoming(catalog, now, events=[event])
        page = Page(client.get(f"{prefix}/events/{event.id}/").get_data(as_text=True))
        if not coming:
            assert page.jsonld == []  # nothing upcoming, nothing to announce
            continue
        [items] = page.jsonld
        assert len(items) == min(len(coming), jsonld.MAX_OCCURRENCES)
        # `coming` may hold more occurrences than are listed.
        for item, occurrence in zip(items, coming, strict=False):
            checked += 1
            where = f"{event.id}@{occurrence.start}"
            assert item["@context"] == "https://schema.org" and item["@type"] == "Event"
            # Required.
            assert item["name"] == event.title.get(lang), where
            check_date(item["startDate"], event.all_day)
            assert item["startDate"] == occurrence.start.isoformat(), where
            location = item["location"]
            assert location["@type"] == "Place" and location["name"], where
            address = location["address"]
            assert address["@type"] == "PostalAddress" and address["streetAddress"]
            assert address["addressCountry"] == "CN"
            # Recommended, always known.
            check_date(item["endDate"], event.all_day)
            assert item["endDate"] >= item["startDate"]
            assert item["eventAttendanceMode"] in MODES
            assert item["eventStatus"] in STATUSES
            assert item["eventStatus"] == jsonld.STATUS[event.status]
            assert item["url"] == f"{catalog.meta.base_url}{prefix}/events/{event.id}/"
            assert item["inLanguage"] == ("en" if lang == "en" and event.title.en else "zh-Hans")
            assert item["image"] and all(is_absolute(url) for url in item["image"]), where
            for url in item["image"]:
                images_seen.setdefault(url, None)
            # Recommended where the content has the fact, absent where it has not.
            assert ("description" in item) == bool(event.description), where
            if event.moved and event.previous_start is not None:
                check_date(item["previousStartDate"], event.all_day)
                assert item["previousStartDate"] == event.previous_start.isoformat()
            else:
                assert "previousStartDate" not in item, where
            if event.organiser:
                assert item["organizer"]["name"] == event.organiser.get(lang)
                assert item["organizer"].get("url") == event.url, where
                assert event.url is None or is_absolute(item["organizer"]["url"])
            else:
                assert "organizer" not in item, where
            has_offer = event.price is not None or bool(event.booking and event.booking.url)
            assert ("offers" in item) == has_offer, where
            if has_offer:
                offer = item["offers"]
                assert offer["@type"] == "Offer" and is_absolute(offer["url"]), where
                if "price" in offer:
                    # Never invented: a number only where the price text says free.
                    assert offer["price"] == "0" and offer["priceCurrency"] == "CNY"
                    assert event.price.zh.startswith("免费"), where
                else:
                    assert "priceCurrency" not in offer and "availability" not in offer, where
                if "availability" in offer:
                    assert offer["availability"] in AVAILABILITY
                    assert not event.cancelled and not (event.booking and event.booking.required), where
    assert checked > 50
    # Every image answers, is a PNG of at least 50,000 pixels, and they come in several ratios.
    ratios = set()
    for url in images_seen:
        response = client.get(urlsplit(url).path)
        assert response.status_code == 200 and response.mimetype == "image/png", url
        width, height = Image.open(io.BytesIO(response.data)).size
        assert width * height >= 50_000
        ratios.add(round(width / height, 2))
    assert len(ratios) >= 2


def test_free_and_available_follow_the_price_text_only():
    catalog = parse((DATA / "minimal.toml").read_text(encoding="utf-8"))
    event = next(e for e in catalog.events.values() if not e.cancelled)
    now = datetime(2026, 12, 1, tzinfo=catalog.tz)
    coming = recurrence.upcoming(catalog, now, events=[event])
    assert coming

    def offer(**changes):
        changed = replace(event, **changes)
        return jsonld.event_objects(catalog, changed, coming, "en")[0].get("offers")

    from canal.model import Booking, Text
    free = offer(price=Text("免费入场", "Free entry"), booking=None)
    assert (free["price"], free["priceCurrency"], free["availability"]) == ("0", "CNY", SCHEMA + "InStock")
    # Free but booked: free, and nothing said about places left.
    booked = offer(price=Text("免费，需预约", "Free, booking required"), booking=Booking(required=True))
    assert booked["price"] == "0" and "availability" not in booked
    # Free words that still name a charge, or free only in English: no number at all.
    for text in (Text("免费，部分项目收费", "Free; some activities charged"),
                 Text("观看免费；乘船另行购票", "Free to watch; boat tickets extra"),
                 Text("儿童免费，成人20元", "Free for children, adults 20 yuan"),
                 Text("收费，以运营方公布为准", "Ticketed; see the operator for fares")):
        paid = offer(price=text, booking=None)
        assert "price" not in paid and "priceCurrency" not in paid and "availability" not in paid, text
        assert paid["description"] == text.en
    # A cancelled free event is not on offer.
    assert "availability" not in offer(price=Text("免费", "Free"), booking=None, status="cancelled")
    assert offer(price=None, booking=None) is None
