"""Synthetic catalogs for the benchmark: N events over 1,000 sites, a share recurring."""
from __future__ import annotations

import random
from datetime import date, timedelta

RULES = ["FREQ=WEEKLY;BYDAY=SA,SU;COUNT=20", "FREQ=MONTHLY;BYDAY=2SA;COUNT=12",
         "FREQ=DAILY;INTERVAL=7;COUNT=10", "FREQ=YEARLY;COUNT=3"]


def catalog_toml(events: int, sites: int = 1000, recurring_share: float = 0.2, seed: int = 7) -> str:
    """TOML text of a valid catalog; the same arguments always give the same text."""
    rng = random.Random(seed)
    out = ['[meta]', 'name = { zh = "基准", en = "Benchmark" }', 'timezone = "Asia/Shanghai"',
           'base_url = "https://bench.test"', ""]
    for area in ("tongzhou", "wuqing", "langfang"):
        out += [f"[areas.{area}]", f'name = {{ zh = "{area}" }}', ""]
    categories = [f"cat-{i}" for i in range(8)]
    for cat in categories:
        out += [f"[categories.{cat}]", f'name = {{ zh = "类别{cat}", en = "Category {cat}" }}', ""]
    for i in range(sites):
        out += [f"[sites.site-{i}]", f'name = {{ zh = "站点{i}", en = "Site {i}" }}',
                f'area = "{("tongzhou", "wuqing", "langfang")[i % 3]}"', 'kind = { zh = "码头" }',
                f"lat = {rng.uniform(39.2, 39.9):.5f}", f"lon = {rng.uniform(116.6, 117.2):.5f}",
                f"precision_m = {rng.choice((100, 1000, 3000))}",
                f'description = {{ zh = "第{i}个站点。", en = "Site number {i}." }}', ""]
    first = date(2026, 12, 1)
    for i in range(events):
        start = first + timedelta(days=rng.randrange(0, 360))
        out += [f"[events.event-{i}]", f'title = {{ zh = "活动{i}", en = "Event {i}" }}',
                f'site = "site-{rng.randrange(sites)}"',
                f'categories = ["{rng.choice(categories)}"]',
                f'description = {{ zh = "第{i}个活动的介绍。", en = "About event {i}." }}']
        if rng.random() < recurring_share:
            rule = rng.choice(RULES)
            day = _first_of_rule(rule, start)
            out += [f"start = {day}T10:00:00", f"end = {day}T12:00:00", f'repeat = "{rule}"']
        elif rng.random() < 0.2:
            out += [f"start = {start}", f"end = {start + timedelta(days=rng.randrange(0, 4))}"]
        else:
            hour = rng.randrange(8, 19)
            out += [f"start = {start}T{hour:02d}:00:00", f"end = {start}T{hour + 2:02d}:00:00"]
        out.append("")
    return "\n".join(out)


def _first_of_rule(rule: str, day: date) -> date:
    """Move `day` onto a date the rule yields, since a start must be the rule's first date."""
    if "BYDAY=SA,SU" in rule:
        while day.weekday() < 5:
            day += timedelta(days=1)
    elif "BYDAY=2SA" in rule:
        day = day.replace(day=1)
        while day.weekday() != 5:
            day += timedelta(days=1)
        day += timedelta(days=7)
    return day


def years_forward(catalog, years: int):
    """The catalog's mix repeated forward: `years` years of content, the shipped first.

    Every event that is not lunar gets a copy in each later year, 52 weeks on per year
    (the same weekday), under the id `<id>-<n>`; a rule's UNTIL moves with it, and a
    start that is no longer the rule's first date (the 2nd Saturday moved to the 1st)
    moves to it. Lunar events repeat by themselves (their rules run for years), so they
    are not copied. Used by the size-budget test and `make bench`."""
    from dataclasses import replace
    from datetime import datetime

    from canal import lunar, recurrence
    from canal.model import Catalog

    events = dict(catalog.events)
    for n in range(1, years):
        shift = timedelta(weeks=52 * n)
        for event in catalog.events.values():
            if event.recurring and lunar.is_lunar(event.repeat):
                continue
            start, end, repeat = event.start + shift, event.end + shift, event.repeat
            if repeat:
                repeat = ";".join(_shift_until(part, shift) for part in repeat.split(";"))
                local = (start.replace(tzinfo=None) if isinstance(start, datetime)
                         else datetime.combine(start, datetime.min.time()))
                from dateutil.rrule import rrulestr
                rule_text = ";".join(p for p in repeat.split(";") if not p.strip().upper().startswith("UNTIL"))
                first = next(iter(rrulestr(rule_text, dtstart=local)))
                start, end = start + (first - local), end + (first - local)
            copy = replace(event, id=f"{event.id}-{n + 1}", start=start, end=end, repeat=repeat,
                           except_dates=(), next=None, previous=None,
                           previous_start=event.previous_start + shift if event.previous_start else None)
            recurrence.parse_rule(copy.repeat, copy.start, catalog.tz) if copy.repeat else None
            events[copy.id] = copy
    return Catalog(catalog.meta, catalog.areas, catalog.categories, catalog.sites, events,
                   path=catalog.path, holidays=catalog.holidays)


def _shift_until(part: str, shift: timedelta) -> str:
    name, _, value = part.partition("=")
    if name.strip().upper() != "UNTIL":
        return part
    value = value.strip()
    day = date(int(value[:4]), int(value[4:6]), int(value[6:8])) + shift
    return f"UNTIL={day:%Y%m%d}{value[8:]}"
