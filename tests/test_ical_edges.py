"""The feed writer's own rules, read back with icalendar (the reference parser): English
labels in English feeds, the description's lines and their order, escaping of every special
character, file names, subsets, Last-Modified, and the horizon of lunar events.
"""
from __future__ import annotations

from datetime import UTC, date, datetime

import icalendar
import pytest
from borax.calendars.lunardate import LunarDate

from canal import ical
from canal.revisions import EPOCH, Ledger, Revision
from edges import HEAD, catalog_of, event_toml

STAMP = datetime(2027, 1, 5, 3, 30, 15, tzinfo=UTC)
FULL = dict(start="2027-01-09T09:00:00", end="2027-01-09T10:00:00",
            description='{ zh = "说明", en = "About it" }', price='{ zh = "免费", en = "Free" }',
            organiser='{ zh = "主办方", en = "The organiser" }', url='"https://canal.test/more"')
ADDRESSED = HEAD.replace('description = { zh = "码头。" }',
                         'description = { zh = "码头。" }\naddress = { zh = "通州区1号", en = "1 Canal Road" }', 1)


@pytest.fixture(scope="module")
def catalog():
    return catalog_of(event_toml(**FULL), event_toml("bare", "museum", start="2027-01-10"), head=ADDRESSED)


def vevents(body: bytes) -> list[icalendar.Event]:
    return icalendar.Calendar.from_ical(body).walk("VEVENT")


def feed(catalog, lang="zh", kind="all", id=None, ledger=None):
    return ical.build_feed(catalog, lang, ical.select(catalog, kind, id), ledger or Ledger())


def test_english_feeds_have_english_labels_and_punctuation(catalog):
    [event] = [v for v in vevents(feed(catalog, "en").body) if str(v["UID"]) == "e@canal.test"]
    assert str(event["DESCRIPTION"]) == ("About it\nPrice: Free\nOrganiser: The organiser\n"
                                         "More: https://canal.test/more\nEvent page: https://canal.test/en/events/e/")
    assert str(event["LOCATION"]) == "Wharf, Tongzhou, 1 Canal Road"
    assert str(event["SUMMARY"]) == "Event e"
    assert [str(c) for c in event["CATEGORIES"].cats] == ["Festivals"]


def test_chinese_feeds_have_chinese_labels_and_punctuation(catalog):
    [event] = [v for v in vevents(feed(catalog, "zh").body) if str(v["UID"]) == "e@canal.test"]
    assert str(event["DESCRIPTION"]) == ("说明\n费用：免费\n主办：主办方\n详情：https://canal.test/more\n"
                                         "活动页面：https://canal.test/events/e/")
    assert str(event["LOCATION"]) == "码头，通州，通州区1号"
    assert [str(c) for c in event["CATEGORIES"].cats] == ["节庆"]


def test_any_other_language_gets_the_chinese_labels(catalog):
    assert ical.description_text(catalog, catalog.events["e"], "fr").split("\n")[1] == "费用：免费"


def test_an_event_with_nothing_but_a_title_has_only_its_page(catalog):
    for lang, line in (("zh", "活动页面：https://canal.test/events/bare/"),
                       ("en", "Event page: https://canal.test/en/events/bare/")):
        assert ical.description_text(catalog, catalog.events["bare"], lang) == line
    assert ical.location_text(catalog, catalog.events["bare"], "en") == "Museum, Tongzhou"


def test_special_characters_in_text_are_escaped_and_read_back(catalog):
    title = 'a;b,c\\\\d\\\\Ne\\nf\\r\\ng\\rh\\u2028i\\u2029j'
    cat = catalog_of(event_toml(start="2027-01-09").replace('title = { zh = "活动e", en = "Event e" }',
                                                            f'title = {{ zh = "{title}" }}'))
    body = feed(cat).body
    assert b"SUMMARY:a\\;b\\,c\\\\d\\\\Ne\\nf\\ng\\nh\\ni\\nj\r\n" in body
    [event] = vevents(body)
    assert str(event["SUMMARY"]) == "a;b,c\\d\\Ne\nf\ng\nh\ni\nj"


def test_feed_text_turns_unicode_separators_into_line_breaks():
    assert ical.feed_text("a\u2028b\u2029c") == "a\nb\nc"
    assert ical.feed_text("plain") == "plain"


def test_file_names_and_paths_of_every_kind(catalog):
    assert [feed(catalog, lang, kind, id).filename for lang, kind, id in (
        ("zh", "all", None), ("en", "all", None), ("zh", "sites", "wharf"), ("en", "areas", "tongzhou"),
        ("zh", "categories", "festival"), ("en", "events", "e"))] == [
        "all.ics", "all-en.ics", "sites-wharf.ics", "areas-tongzhou-en.ics", "categories-festival.ics",
        "events-e-en.ics"]
    assert ical.feed_path("all", None, "zh") == "/feeds/all.ics"
    assert ical.feed_path("all", None, "en") == "/en/feeds/all.ics"
    assert ical.feed_path("events", "e", "en") == "/en/events/e.ics"
    assert ical.feed_path("sites", "wharf", "zh") == "/feeds/sites/wharf.ics"


def test_subsets_hold_their_events_and_are_named_after_them(catalog):
    assert [e.id for e in ical.select(catalog, "sites", "museum").events] == ["bare"]
    assert [e.id for e in ical.select(catalog, "areas", "tongzhou").events] == ["e", "bare"]
    assert [e.id for e in ical.select(catalog, "events", "e").events] == ["e"]
    assert ical.select(catalog, "all").name is None
    for kind, id, zh, en in (("sites", "museum", "北运河 · 博物馆", "North Canal · Museum"),
                             ("events", "e", "北运河 · 活动e", "North Canal · Event e"),
                             ("all", None, "北运河", "North Canal")):
        selection = ical.select(catalog, kind, id)
        assert ical.calendar_name(catalog, selection, "zh") == zh
        assert ical.calendar_name(catalog, selection, "en") == en
        cal = icalendar.Calendar.from_ical(ical.build_feed(catalog, "en", selection, Ledger()).body)
        assert str(cal["X-WR-CALNAME"]) == str(cal["NAME"]) == en
    with pytest.raises(KeyError):
        ical.select(catalog, "venues", "wharf")
    with pytest.raises(KeyError):
        ical.select(catalog, "sites", "nowhere")


def test_last_modified_is_the_newest_stamp_and_epoch_for_an_empty_feed():
    cat = catalog_of(event_toml("a", start="2027-01-09"), event_toml("b", start="2027-01-10"),
                     head=HEAD + '\n[categories.food]\nname = { zh = "美食" }\n')
    ledger, _ = Ledger().updated(cat, STAMP)
    older = datetime(2026, 6, 1, tzinfo=UTC)
    ledger.entries["a"] = Revision(2, older, ledger.entries["a"].schedule, ledger.entries["a"].content)
    assert feed(cat, ledger=ledger).last_modified == STAMP
    assert feed(cat, kind="events", id="a", ledger=ledger).last_modified == older
    assert feed(cat, kind="categories", id="food", ledger=ledger).last_modified == EPOCH
    [a] = [v for v in vevents(feed(cat, ledger=ledger).body) if str(v["UID"]) == "a@canal.test"]
    assert (a["SEQUENCE"], a["DTSTAMP"].dt, a["LAST-MODIFIED"].dt) == (2, older, older)


def test_all_day_ends_are_exclusive_and_transparent_timed_ones_are_not():
    cat = catalog_of(event_toml("fest", start="2027-01-09", end="2027-01-11"),
                     event_toml("talk", start="2027-01-09T09:00:00", end="2027-01-09T10:00:00",
                                status='"postponed"'))
    events = {str(v["UID"]): v for v in vevents(feed(cat).body)}
    fest, talk = events["fest@canal.test"], events["talk@canal.test"]
    assert (fest["DTSTART"].dt, fest["DTEND"].dt, str(fest["TRANSP"])) == (
        date(2027, 1, 9), date(2027, 1, 12), "TRANSPARENT")
    assert "TRANSP" not in talk and str(talk["STATUS"]) == "TENTATIVE"
    assert talk["DTEND"].dt == datetime(2027, 1, 9, 10, tzinfo=talk["DTSTART"].dt.tzinfo)
    assert str(talk["DTSTART"].params["TZID"]) == "Asia/Shanghai"


def test_exdates_take_the_form_of_dtstart():
    cat = catalog_of(event_toml("day", start="2027-01-09", repeat='"FREQ=WEEKLY;COUNT=3"',
                                **{"except": "[2027-01-16]"}),
                     event_toml("timed", start="2027-01-09T09:30:00", end="2027-01-09T10:00:00",
                                repeat='"FREQ=WEEKLY;COUNT=3"', **{"except": "[2027-01-16, 2027-01-23]"}))
    body = feed(cat).body
    assert b"EXDATE;VALUE=DATE:20270116\r\n" in body
    assert b"EXDATE;TZID=Asia/Shanghai:20270116T093000,20270123T093000\r\n" in body
    events = {str(v["UID"]): v for v in vevents(body)}
    assert str(events["timed@canal.test"]["RRULE"].to_ical().decode()) == "FREQ=WEEKLY;COUNT=3"


def test_an_until_rule_is_published_as_the_count_of_its_dates():
    cat = catalog_of(event_toml(start="2027-01-09T09:00:00", end="2027-01-09T10:00:00",
                                repeat='"FREQ=WEEKLY;UNTIL=20270123"'))
    assert ical.rrule_text(cat.events["e"], cat) == "FREQ=WEEKLY;COUNT=3"


def test_event_ids_from_uids():
    cat = catalog_of(event_toml("night-walk", start="2027-01-09"), event_toml("walk-2027", start="2027-01-09"))
    assert ical.event_id_of("night-walk@canal.test", cat) == "night-walk"
    assert ical.event_id_of("walk-2027@canal.test", cat) == "walk-2027"
    assert ical.event_id_of("night-walk-2031@canal.test", cat) == "night-walk"


# --- Lunar events: one VEVENT a year, up to a horizon ------------------------------------------

def lunar_catalog(count: int = 8, excepted: str = "[]"):
    first = LunarDate(2027, 5, 5).to_solar_date()
    return catalog_of(event_toml("boat", start=first.isoformat(),
                                 repeat=f'"RSCALE=CHINESE;FREQ=YEARLY;BYMONTH=5;BYMONTHDAY=5;COUNT={count}"',
                                 **{"except": excepted}))


def dragon_boat(year: int) -> date:
    return LunarDate(year, 5, 5).to_solar_date()


def test_lunar_dates_are_published_up_to_three_years_after_the_current_one():
    cat = lunar_catalog()
    published = ical.lunar_published(cat.events["boat"], cat, 2027)
    assert [(uid, o.start, cancelled) for uid, o, cancelled in published] == [
        (f"boat-{year}@canal.test", dragon_boat(year), False) for year in range(2027, 2031)]
    assert len(ical.lunar_published(cat.events["boat"], cat, None)) == 8
    assert len(ical.lunar_published(cat.events["boat"], cat, 2026)) == 3
    assert ical.uids_of(cat.events["boat"], cat, Ledger(), 2027) == [f"boat-{y}@canal.test" for y in range(2027, 2031)]


def test_an_excepted_lunar_date_stays_cancelled_for_a_year_then_goes():
    cat = lunar_catalog(excepted=f"[{dragon_boat(2028).isoformat()}]")
    def states(horizon):
        return {o.start.year: cancelled for _, o, cancelled in ical.lunar_published(cat.events["boat"], cat, horizon)}
    assert states(2028)[2028] is True and states(2029)[2028] is True
    assert 2028 not in states(2030)
    assert states(2030)[2029] is False


def test_the_kept_uid_goes_to_the_hand_dated_day():
    cat = lunar_catalog()
    uids = [uid for uid, _, _ in ical.lunar_published(cat.events["boat"], cat, 2027, dragon_boat(2028))]
    assert uids == ["boat-2027@canal.test", "boat@canal.test", "boat-2029@canal.test", "boat-2030@canal.test"]


def test_lunar_vevents_start_with_the_rule_in_words_in_their_language():
    cat = lunar_catalog(count=2)
    revision = Revision(3, STAMP)
    for lang, start in (("zh", "每年农历五月初五（端午节），共2次\n"),
                        ("en", "every year on the 5th day of the 5th lunar month (Dragon Boat Festival), 2 times\n")):
        found = ical.lunar_vevents(cat.events["boat"], cat, lang, revision, 2027)
        assert [str(v["DESCRIPTION"]).startswith(start) for v in found] == [True, True]
        assert [(v["SEQUENCE"], str(v["STATUS"])) for v in found] == [(3, "CONFIRMED"), (3, "CONFIRMED")]
        assert "RRULE" not in found[0]


def test_a_cancelled_lunar_event_is_cancelled_every_year():
    first = dragon_boat(2027)
    cat = catalog_of(event_toml("boat", start=first.isoformat(), status='"cancelled"',
                                repeat='"RSCALE=CHINESE;FREQ=YEARLY;BYMONTH=5;BYMONTHDAY=5;COUNT=2"'))
    assert [c for _, _, c in ical.lunar_published(cat.events["boat"], cat, 2027)] == [True, True]


def test_feeds_are_kept_per_language_kind_and_year():
    cat = lunar_catalog()
    cache = ical.FeedCache(cat, Ledger())
    first = cache.get("zh", "all", None, 2027)
    assert cache.get("zh", "all", None, 2027) is first
    assert cache.get("en", "all", None, 2027) is not first
    later = cache.get("zh", "all", None, 2028)
    assert len(vevents(later.body)) == len(vevents(first.body)) + 1
    assert cache.get("zh", "events", "boat", 2027).filename == "events-boat.ics"


def test_a_lunar_rule_ending_at_a_utc_time_ends_on_the_local_day():
    # 17:00 UTC on 15 June 2029 is 01:00 on the 16th in Shanghai: the 2029 Dragon Boat day is in.
    assert dragon_boat(2029) == date(2029, 6, 16)
    first = dragon_boat(2027)
    cat = catalog_of(event_toml("boat", start=first.isoformat(),
                                repeat='"RSCALE=CHINESE;FREQ=YEARLY;BYMONTH=5;BYMONTHDAY=5;UNTIL=20290615T170000Z"'))
    assert [o.start for _, o, _ in ical.lunar_published(cat.events["boat"], cat, None)] == [
        dragon_boat(2027), dragon_boat(2028), dragon_boat(2029)]
