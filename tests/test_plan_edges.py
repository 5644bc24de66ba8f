"""The plan's arithmetic at its edges: back-to-back stops, zero-minute gaps, a gap exactly as
long as the journey, the rounding of travel times, the year limits of plan keys, where a
visitor is after a boat trip, and the nearby radius.

The two sites of tests/edges.py are 0.1 degree of longitude apart at 39.88 N: 8.54 km as
the crow flies, 11.1 km by road (x 1.3), 22.2 minutes at 30 km/h: 25 minutes rounded up.
"""
from __future__ import annotations

from datetime import date

import pytest

from canal.occurrence_index import OccurrenceIndex
from canal.plan import MAX_ITEMS, build_plan, distance_km, normalise, parse_keys, travel_minutes
from edges import HEAD, catalog_of, event_toml

DAY = "2027-01-09"


def timed(event_id: str, begin: str, finish: str, site: str = "wharf", **fields: str) -> str:
    return event_toml(event_id, site, start=f"{DAY}T{begin}", end=f"{DAY}T{finish}", **fields)


@pytest.fixture(scope="module")
def catalog():
    return catalog_of(
        timed("a", "09:00:00", "10:00:00"),
        timed("b", "10:00:00", "11:00:00", site="museum"),  # right after a, 25 minutes away
        timed("c", "10:00:00", "11:00:00"),  # right after a, same site
        timed("d", "10:25:00", "11:00:00", site="museum"),  # a 25-minute gap: just enough
        timed("e", "10:24:00", "11:00:00", site="museum"),  # one minute short
        timed("f", "09:59:59", "10:30:00", site="museum"),  # overlaps a by one second
        timed("g", "09:58:30", "10:30:00", site="museum"),  # starts 90 seconds before a ends
        timed("boat", "11:00:00", "12:00:00", ends_at='"museum"'),  # leaves the wharf, lands at the museum
        timed("talk", "12:00:00", "13:00:00", site="museum"),
        timed("late", "13:00:00", "14:00:00"),
        timed("same-start", "09:00:00", "09:30:00", site="museum"),
        event_toml("fair", "museum", start=DAY, end="2027-01-11"),
        event_toml("gone", "museum", start=DAY, status='"cancelled"'),
    )


def plan_of(catalog, *keys: str, **options):
    return build_plan(catalog, [",".join(f"{k}@{DAY}" for k in keys)], **options)


def test_the_two_sites_are_25_minutes_apart(catalog):
    assert distance_km(catalog.sites["wharf"], catalog.sites["museum"]) == pytest.approx(8.54, abs=0.01)
    assert travel_minutes(8.54) == 25


@pytest.mark.parametrize("km, minutes", [
    (0, 0), (0.049, 0), (0.05, 5), (1, 5), (5.76, 15), (5.78, 20), (11.5, 30), (26.5, 70), (100, 260),
])
def test_travel_minutes_round_up_to_five_and_the_same_place_is_zero(km, minutes):
    # km x 1.3 / 30 km/h in minutes, rounded up to a multiple of 5: 5.76 km is 14.98 minutes.
    assert travel_minutes(km) == minutes


def test_back_to_back_stops_at_two_sites_are_no_conflict_but_a_tight_leg(catalog):
    plan = plan_of(catalog, "a", "b")
    [day] = plan.days
    assert day.conflicts == [] and plan.conflicts == [] and day.clashing == set()
    [leg] = day.legs
    assert (leg.origin.event_id, leg.destination.event_id) == ("a", "b")
    assert (leg.km, leg.minutes, leg.gap_minutes, leg.too_tight) == (8.5, 25, 0, True)
    assert day.leg_to == {f"b@{DAY}": leg}


def test_a_zero_minute_gap_at_the_same_site_is_not_tight(catalog):
    [leg] = plan_of(catalog, "a", "c").days[0].legs
    assert (leg.km, leg.minutes, leg.gap_minutes, leg.too_tight) == (0.0, 0, 0, False)


def test_a_gap_as_long_as_the_journey_is_enough_one_minute_less_is_not(catalog):
    [enough] = plan_of(catalog, "a", "d").days[0].legs
    assert (enough.gap_minutes, enough.minutes, enough.too_tight) == (25, 25, False)
    [short] = plan_of(catalog, "a", "e").days[0].legs
    assert (short.gap_minutes, short.minutes, short.too_tight) == (24, 25, True)


def test_an_overlap_of_one_second_is_a_conflict_not_a_tight_leg(catalog):
    plan = plan_of(catalog, "f", "a")
    [conflict] = plan.conflicts
    assert {conflict.first.event_id, conflict.second.event_id} == {"a", "f"}
    assert plan.days[0].clashing == {f"a@{DAY}", f"f@{DAY}"}
    [leg] = plan.days[0].legs
    assert (leg.origin.event_id, leg.gap_minutes, leg.too_tight) == ("a", -1, False)


def test_a_negative_gap_is_counted_in_whole_minutes_rounded_down(catalog):
    [leg] = plan_of(catalog, "a", "g").days[0].legs
    assert leg.gap_minutes == -2  # -90 seconds


def test_a_conflict_is_found_whichever_stop_starts_first(catalog):
    for keys in (("a", "same-start"), ("same-start", "a"), ("a", "f", "same-start")):
        plan = plan_of(catalog, *keys)
        assert f"a@{DAY}" in plan.days[0].clashing
    # a clashes with both; f (from 09:59:59) and same-start (to 09:30) do not meet.
    assert len(plan_of(catalog, "a", "f", "same-start").conflicts) == 2


def test_timed_stops_starting_together_keep_the_visitors_order(catalog):
    assert [s.event_id for s in plan_of(catalog, "same-start", "a").days[0].stops] == ["same-start", "a"]
    assert [s.event_id for s in plan_of(catalog, "a", "same-start").days[0].stops] == ["a", "same-start"]


def test_after_a_boat_trip_the_visitor_is_where_it_lands(catalog):
    legs = plan_of(catalog, "a", "boat", "talk").days[0].legs
    assert [(leg.origin.event_id, leg.destination.event_id, leg.km, leg.minutes) for leg in legs] == [
        ("a", "boat", 0.0, 0), ("boat", "talk", 0.0, 0)]
    [back] = plan_of(catalog, "boat", "late").days[0].legs  # from the museum back to the wharf
    assert (back.km, back.minutes) == (8.5, 25)


def test_all_day_and_cancelled_stops_have_no_gap_and_cancelled_ones_no_leg(catalog):
    plan = plan_of(catalog, "a", "fair", "gone", "talk")
    stops = {s.event_id: s for s in plan.stops}
    assert (stops["fair"].timed, stops["fair"].happens, stops["fair"].cancelled) == (False, True, False)
    assert (stops["gone"].happens, stops["gone"].cancelled, stops["gone"].missing) == (False, True, False)
    assert (stops["a"].timed, stops["a"].happens) == (True, True)
    assert [(leg.origin.event_id, leg.destination.event_id, leg.gap_minutes, leg.too_tight)
            for leg in plan.days[0].legs] == [("a", "fair", None, False), ("fair", "talk", None, False)]
    assert stops["a"].visit == stops["a"].occurrence  # a timed stop goes in the calendar as it is


def test_a_festival_is_visited_on_any_day_it_touches_and_only_those(catalog):
    plan = build_plan(catalog, ["fair@2027-01-11,fair@2027-01-12,fair@2027-01-08"])
    stops = {s.key: s for s in plan.stops}
    assert not stops["fair@2027-01-11"].missing
    assert (stops["fair@2027-01-11"].visit.start, stops["fair@2027-01-11"].visit.end) == (
        date(2027, 1, 11), date(2027, 1, 11))
    assert stops["fair@2027-01-12"].missing and stops["fair@2027-01-08"].missing
    assert stops["fair@2027-01-12"].visit is None
    assert [d.day for d in plan.days] == [date(2027, 1, 8), date(2027, 1, 11), date(2027, 1, 12)]


@pytest.mark.parametrize("item, reason", [
    ("a@2000-01-01", None), ("a@2100-12-31", None), ("a@1999-12-31", "out-of-range"),
    ("a@2101-01-01", "out-of-range"), ("a@2027-02-29", "malformed"), ("a@2027-1-09", "malformed"),
    ("A@2027-01-09", "malformed"), ("a-@2027-01-09", "malformed"), ("a@2027-01-09x", "malformed"),
    ("x@2027-01-09", "unknown"),
])
def test_plan_keys_and_their_notices(catalog, item, reason):
    keys, notices = parse_keys([item], catalog)
    if reason is None:
        assert (keys, notices) == ([item], [])
    else:
        assert keys == [] and [(n.item, n.reason) for n in notices] == [(item, reason)]


def test_a_long_malformed_item_is_cut_in_its_notice(catalog):
    _, [notice] = parse_keys(["x" * 200], catalog)
    assert (notice.item, notice.reason) == ("x" * 80, "malformed")


def test_spaces_empty_items_and_the_limit(catalog):
    keys, notices = parse_keys([f" a@{DAY} ,, b@{DAY},", f"c@{DAY}", f"d@{DAY}"], catalog, limit=2)
    assert keys == [f"a@{DAY}", f"b@{DAY}"]
    assert [(n.item, n.reason) for n in notices] == [(f"c@{DAY}", "too-many"), (f"d@{DAY}", "too-many")]
    keys, notices = parse_keys([f"a@{DAY},a@{DAY}"], catalog, limit=1)
    assert keys == [f"a@{DAY}"] and [n.reason for n in notices] == ["duplicate"]
    assert parse_keys([f"b@{DAY}"], catalog, limit=MAX_ITEMS) == ([f"b@{DAY}"], [])


def test_added_items_join_the_plan_once_and_spaces_do_not_matter(catalog):
    assert normalise(catalog, [f"a@{DAY}"], [f" a@{DAY} , b@{DAY}"]) == ([f"a@{DAY}", f"b@{DAY}"], [])
    assert normalise(catalog, [], [f"b@{DAY}"]) == ([f"b@{DAY}"], [])
    plan = build_plan(catalog, [f"a@{DAY}"], added=[f"c@{DAY}", f"a@{DAY}"])
    assert plan.keys == [f"a@{DAY}", f"c@{DAY}"] and plan.notices == []


def test_nearby_suggestions_stop_at_the_radius(catalog):
    # From the wharf, the museum is 8.54 km away: outside 8 km, inside 9 km.
    assert [o.event.id for o in plan_of(catalog, "a", nearby_km=8).days[0].nearby] == ["c", "boat", "late"]
    near = [o.event.id for o in plan_of(catalog, "a", nearby_km=9).days[0].nearby]
    assert sorted(near) == sorted(["c", "boat", "late", "b", "d", "e", "f", "g", "talk", "same-start", "fair"])
    assert "gone" not in near and "a" not in near  # cancelled, and already chosen
    assert plan_of(catalog, "a", nearby_km=None).days[0].nearby == []


def test_nearby_suggestions_are_the_same_with_the_occurrence_index(catalog):
    index = OccurrenceIndex(catalog, date(2027, 1, 1))
    for radius in (8, 9):
        assert [o.key for o in plan_of(catalog, "a", "b", nearby_km=radius, index=index).days[0].nearby] == \
            [o.key for o in plan_of(catalog, "a", "b", nearby_km=radius).days[0].nearby]


def test_nearby_suggestions_are_for_that_day_only():
    catalog = catalog_of(timed("a", "09:00:00", "10:00:00"),
                         event_toml("next-day", start="2027-01-10T09:00:00", end="2027-01-10T10:00:00"),
                         event_toml("day-before", start="2027-01-08T20:00:00", end="2027-01-08T23:00:00"))
    assert plan_of(catalog, "a", nearby_km=5).days[0].nearby == []


def test_a_site_far_north_or_east_is_not_nearby():
    far = HEAD + '''
[sites.north]
name = { zh = "北" }
area = "tongzhou"
kind = { zh = "点" }
lat = 39.96
lon = 116.70
precision_m = 100
description = { zh = "北。" }
'''
    catalog = catalog_of(timed("a", "09:00:00", "10:00:00"), timed("n", "09:00:00", "10:00:00", site="north"),
                         head=far)
    # 0.08 degree of latitude: 8.9 km.
    assert [o.event.id for o in plan_of(catalog, "a", nearby_km=8.8).days[0].nearby] == []
    assert [o.event.id for o in plan_of(catalog, "a", nearby_km=9).days[0].nearby] == ["n"]


def test_a_site_exactly_at_the_radius_is_nearby(catalog):
    exactly = distance_km(catalog.sites["wharf"], catalog.sites["museum"])
    near = [o.event.id for o in plan_of(catalog, "a", nearby_km=exactly).days[0].nearby]
    assert "b" in near and "talk" in near
    assert "b" not in [o.event.id for o in plan_of(catalog, "a", nearby_km=exactly - 1e-9).days[0].nearby]


def test_a_site_due_east_just_inside_the_radius_is_nearby(catalog):
    # 0.1 degree of longitude east at 39.88 N is 8.5358 km: inside 8.55 km.
    assert "b" in [o.event.id for o in plan_of(catalog, "a", nearby_km=8.55).days[0].nearby]
    assert "b" not in [o.event.id for o in plan_of(catalog, "a", nearby_km=8.53).days[0].nearby]


def test_added_items_are_split_at_commas_and_checked_against_each_item_of_the_plan(catalog):
    assert normalise(catalog, [f"a@{DAY},b@{DAY}"], [f"b@{DAY}"]) == ([f"a@{DAY}", f"b@{DAY}"], [])
    assert normalise(catalog, [f"b@{DAY}"], [f"b@{DAY},c@{DAY}", f"d@{DAY}"]) == (
        [f"b@{DAY}", f"c@{DAY}", f"d@{DAY}"], [])
    keys, notices = normalise(catalog, [f"a@{DAY}"], [f"b@{DAY},c@{DAY}"], limit=2)
    assert keys == [f"a@{DAY}", f"b@{DAY}"] and [(n.item, n.reason) for n in notices] == [(f"c@{DAY}", "too-many")]


def test_the_plans_limit_is_passed_on(catalog):
    plan = build_plan(catalog, [f"a@{DAY},b@{DAY},c@{DAY}"], limit=2)
    assert plan.keys == [f"a@{DAY}", f"b@{DAY}"] and [n.reason for n in plan.notices] == ["too-many"]
