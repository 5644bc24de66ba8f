"""The trip plan's logic: keys from the URL, order, clashes, distances, nearby ideas."""
from __future__ import annotations

from datetime import date

import pytest

from canal.loader import load
from canal.model import Site, Text
from canal.plan import MAX_ITEMS, build_plan, distance_km, swapped, travel_minutes, with_item, without_item


@pytest.fixture
def plan_catalog(data_path):
    return load(data_path("plan.toml"))


def site_at(lat, lon):
    return Site("x", Text("x"), "a", Text("k"), lat, lon, 1, Text("d"))


def test_distance_matches_published_haversine_values():
    # Rosetta Code's haversine example (BNA to LAX), scaled from its R = 6372.8 km.
    scaled = distance_km(site_at(36.12, -86.67), site_at(33.94, -118.40)) * 6372.8 / 6371.0088
    assert scaled == pytest.approx(2887.2600, abs=1e-3)
    # Tongzhou town to Xianghe county seat (reference anchors): about 32 km as the crow flies.
    assert distance_km(site_at(39.9040, 116.6618), site_at(39.7532, 116.9814)) == pytest.approx(32.03, abs=0.01)
    assert distance_km(site_at(39.9, 116.7), site_at(39.9, 116.7)) == 0


def test_travel_estimate_is_rounded_up_to_five_minutes():
    assert travel_minutes(0) == 0
    assert travel_minutes(1) == 5
    assert travel_minutes(26.5) == 70  # 26.5 km x 1.3 at 30 km/h = 68.9 min


def test_overlapping_occurrences_are_a_conflict_naming_both(plan_catalog):
    plan = build_plan(plan_catalog, ["farm-food-festival@2026-12-12,zhongfan-show@2026-12-12"])
    assert [(c.first.event_id, c.second.event_id) for c in plan.conflicts] == [
        ("farm-food-festival", "zhongfan-show")]


def test_back_to_back_and_all_day_are_not_conflicts(plan_catalog):
    plan = build_plan(plan_catalog, ["wharf-exhibition@2026-12-12", "museum-talk@2026-12-12",
                                     "zhongfan-show@2026-12-12"])
    assert plan.conflicts == []


def test_stops_are_in_time_order_with_legs_between_sites(plan_catalog):
    plan = build_plan(plan_catalog, ["museum-talk@2026-12-12,zhongfan-show@2026-12-12"])
    [day] = plan.days
    assert [s.event_id for s in day.stops] == ["zhongfan-show", "museum-talk"]
    [leg] = day.legs
    assert leg.km == pytest.approx(26.7, abs=0.1)
    assert leg.minutes == 70
    assert not leg.too_tight  # 15:00 to 18:00 leaves three hours


def test_a_leg_shorter_than_the_travel_time_is_flagged(plan_catalog):
    plan = build_plan(plan_catalog, ["farm-food-festival@2026-12-12", "museum-talk@2026-12-12"])
    assert plan.days[0].legs[0].too_tight  # 17:00 at Xianghe, 18:00 in Tongzhou: 70 minutes apart


def test_cancelled_and_not_on_that_date_are_kept_and_flagged(plan_catalog):
    plan = build_plan(plan_catalog, ["cancelled-fair@2026-12-12", "farm-food-festival@2027-02-13",
                                     "farm-food-festival@2026-12-13"])
    stops = {s.key: s for s in plan.stops}
    assert stops["cancelled-fair@2026-12-12"].cancelled
    assert stops["farm-food-festival@2027-02-13"].missing  # the skipped Spring Festival date
    assert stops["farm-food-festival@2026-12-13"].missing  # a Sunday
    assert plan.conflicts == []  # a cancelled stop clashes with nothing


def test_unknown_malformed_and_duplicate_keys_become_notices(plan_catalog):
    plan = build_plan(plan_catalog, ["zhongfan-show@2026-12-12,nope@2026-12-12,zhongfan-show@2026-12-12",
                                     "<script>@x", "museum-talk@2026-13-40", "", "museum-talk"])
    assert plan.keys == ["zhongfan-show@2026-12-12"]
    assert [(n.item, n.reason) for n in plan.notices] == [
        ("nope@2026-12-12", "unknown"), ("zhongfan-show@2026-12-12", "duplicate"),
        ("<script>@x", "malformed"), ("museum-talk@2026-13-40", "malformed"),
        ("museum-talk", "malformed")]


def test_the_plan_is_capped(plan_catalog):
    values = [f"farm-food-festival@2026-12-{d:02d}" for d in range(1, 32)] + \
             [f"farm-food-festival@2027-01-{d:02d}" for d in range(1, 32)]
    plan = build_plan(plan_catalog, values)
    assert len(plan.keys) == MAX_ITEMS
    assert [n.reason for n in plan.notices] == ["too-many"] * (62 - MAX_ITEMS)


def test_nearby_suggestions_are_same_day_within_the_radius(plan_catalog):
    plan = build_plan(plan_catalog, ["zhongfan-show@2026-12-12"], nearby_km=5)
    assert [o.event.id for o in plan.days[0].nearby] == ["farm-food-festival"]
    wide = build_plan(plan_catalog, ["zhongfan-show@2026-12-12"], nearby_km=40)
    # The cancelled fair is never suggested; the exhibition and the talk are in Tongzhou.
    assert [o.event.id for o in wide.days[0].nearby] == ["wharf-exhibition", "farm-food-festival", "museum-talk"]


def test_add_remove_and_move_items():
    keys = ["a@2026-12-12", "b@2026-12-12"]
    assert with_item(keys, "c@2026-12-12") == keys + ["c@2026-12-12"]
    assert with_item(keys, "a@2026-12-12") == keys
    assert without_item(keys, "a@2026-12-12") == ["b@2026-12-12"]


def test_out_of_range_dates_are_notices(plan_catalog):
    plan = build_plan(plan_catalog, ["museum-talk@1999-12-31,museum-talk@9999-12-31"])
    assert plan.keys == []
    assert [n.reason for n in plan.notices] == ["out-of-range", "out-of-range"]


def test_a_long_all_day_event_can_be_visited_on_any_of_its_days(plan_catalog):
    plan = build_plan(plan_catalog, ["wharf-exhibition@2026-12-12", "wharf-exhibition@2026-12-21"])
    stops = {s.key: s for s in plan.stops}
    assert not stops["wharf-exhibition@2026-12-12"].missing
    visit = stops["wharf-exhibition@2026-12-12"].visit
    assert (visit.start, visit.end) == (date(2026, 12, 12), date(2026, 12, 12))  # that day, for the calendar
    assert stops["wharf-exhibition@2026-12-21"].missing  # the day after it closes


def test_all_day_stops_stay_where_the_visitor_put_them(plan_catalog):
    def order(values):
        return [s.event_id for s in build_plan(plan_catalog, values).days[0].stops]
    assert order(["museum-talk@2026-12-12", "wharf-exhibition@2026-12-12", "zhongfan-show@2026-12-12"]) == [
        "zhongfan-show", "wharf-exhibition", "museum-talk"]
    assert order(["wharf-exhibition@2026-12-12", "museum-talk@2026-12-12", "zhongfan-show@2026-12-12"]) == [
        "wharf-exhibition", "zhongfan-show", "museum-talk"]


def test_legs_skip_cancelled_stops_and_overlaps_are_not_tight(plan_catalog):
    plan = build_plan(plan_catalog, ["cancelled-fair@2026-12-12", "zhongfan-show@2026-12-12",
                                     "farm-food-festival@2026-12-12"])
    [leg] = plan.days[0].legs
    assert (leg.origin.event_id, leg.destination.event_id) == ("farm-food-festival", "zhongfan-show")
    assert leg.gap_minutes < 0 and not leg.too_tight  # reported as a conflict instead
    assert plan.days[0].clashing == {"farm-food-festival@2026-12-12", "zhongfan-show@2026-12-12"}


def test_added_items_already_in_the_plan_are_not_duplicates(plan_catalog):
    plan = build_plan(plan_catalog, ["zhongfan-show@2026-12-12"],
                      added=["zhongfan-show@2026-12-12", "museum-talk@2026-12-12"])
    assert plan.keys == ["zhongfan-show@2026-12-12", "museum-talk@2026-12-12"]
    assert plan.notices == []


def test_swapping_two_items():
    keys = ["a@2026-12-12", "b@2026-12-12", "c@2026-12-12"]
    assert swapped(keys, "a@2026-12-12", "c@2026-12-12") == ["c@2026-12-12", "b@2026-12-12", "a@2026-12-12"]
    assert swapped(keys, "a@2026-12-12", "z@2026-12-12") == keys
