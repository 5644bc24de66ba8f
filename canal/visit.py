"""What a visitor needs to get to a site and in: hours now and this week, the way there,
access, booking. Plain values for templates, the map's JSON and the agenda.

No Flask: "now" and the public-holiday knowledge (`is_holiday(day) -> bool`, see
canal.hours) are arguments.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from . import hours, navigation
from .model import ACCESSIBILITY_KEYS, Booking, Catalog, Event, Site

# How far ahead the browser gets open periods, to say "open now" on cached pages.
WINDOW_DAYS = 15  # a static export rebuilt weekly still knows two weeks ahead

ACCESSIBILITY_WORDS = {
    "wheelchair": {"yes": ("轮椅可通行", "Wheelchair accessible"),
                   "limited": ("轮椅部分可通行", "Partly wheelchair accessible"),
                   "no": ("轮椅无法通行", "Not wheelchair accessible")},
    "toilets_wheelchair": {"yes": ("有无障碍卫生间", "Wheelchair-accessible toilet"),
                           "no": ("无无障碍卫生间", "No wheelchair-accessible toilet")},
    "step_free": {"yes": ("全程无台阶", "Step-free route"),
                  "limited": ("部分路线无台阶", "Partly step-free"),
                  "no": ("有台阶", "Steps on the way")},
    "hearing_loop": {"yes": ("有助听环路", "Hearing loop"),
                     "no": ("无助听环路", "No hearing loop")},
}


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


@dataclass(frozen=True)
class Hours:
    today: str           # "今天 10:00–20:00 开放（19:00 停止入馆）"
    now: str             # "正在开放，20:00 闭馆"
    open: bool
    week: list[str]      # "周二至周日 10:00–20:00", "周一闭馆", "法定节假日照常开放"
    windows: list[dict]  # for static/visit.js
    source: str | None


def site_hours(site: Site, now: datetime, lang: str,
               is_holiday: hours.Holidays = hours.no_holidays) -> Hours | None:
    """The site's hours as of `now` (Beijing time), or None when the file gives none."""
    if not site.opening_hours:
        return None
    local = now.astimezone(hours.BEIJING)
    today = local.date()
    status = hours.status_at(site.opening_hours, local, site.last_entry, is_holiday)
    week_start = today - timedelta(days=today.weekday())
    return Hours(
        today=hours.day_words(site.opening_hours, today, today, lang, site.last_entry, is_holiday),
        now=hours.now_words(status, lang, today),
        open=status.open and not status.entry_closed,
        week=hours.week_words(site.opening_hours, week_start, lang, site.last_entry, is_holiday),
        windows=windows(site, local, lang, is_holiday),
        source=site.hours_source,
    )


def windows(site: Site, local: datetime, lang: str, is_holiday: hours.Holidays) -> list[dict]:
    if not site.opening_hours:
        return []
    found = hours.open_windows(site.opening_hours, local, WINDOW_DAYS, is_holiday, site.last_entry)
    for item in found:
        start = datetime.fromisoformat(item["start"])
        item["weekday"] = hours.WEEKDAY_SHORT["en" if lang == "en" else "zh"][start.weekday()]
    return found


def hours_labels(lang: str) -> dict[str, str]:
    """The phrases static/visit.js and map.js build "open now" from ({time}, {day})."""
    if lang == "en":
        return {"openUntil": "Open now, until {time}", "entryClosed": "Last entry has passed (closes {time})",
                "closedToday": "Closed now; opens today at {time}",
                "closedTomorrow": "Closed now; opens tomorrow at {time}",
                "closedDay": "Closed now; opens {day} at {time}", "closed": "Closed now"}
    return {"openUntil": "正在开放，{time} 闭馆", "entryClosed": "已停止入馆（{time} 闭馆）",
            "closedToday": "现在闭馆，今天 {time} 开放", "closedTomorrow": "现在闭馆，明天 {time} 开放",
            "closedDay": "现在闭馆，{day} {time} 开放", "closed": "现在闭馆"}


def accessibility_lines(site: Site, lang: str) -> list[str]:
    if site.accessibility is None:
        return []
    lines = [_pick(ACCESSIBILITY_WORDS[key][value], lang)
             for key in ACCESSIBILITY_KEYS for k, value in site.accessibility.values if k == key]
    if site.accessibility.note:
        lines.append(site.accessibility.note.get(lang))
    return lines


def driver_text(site: Site) -> str:
    """The Chinese name and address, to show a taxi driver or paste into a map app."""
    return site.name.zh + ("\n" + site.address.zh if site.address else "")


def booking_of(catalog: Catalog, event: Event) -> Booking | None:
    """The event's booking, or its site's when the event says nothing of its own."""
    return event.booking or catalog.site_of(event).booking


def booking_data(booking: Booking | None, lang: str) -> dict | None:
    """For the map's JSON: plain texts and https/tel links only."""
    if booking is None:
        return None
    return {"required": booking.required, "url": booking.url,
            "miniprogram": booking.miniprogram.get(lang) if booking.miniprogram else None,
            "account": booking.official_account.get(lang) if booking.official_account else None,
            "phone": booking.phone, "tel": tel_href(booking.phone) if booking.phone else None}


def tel_href(phone: str) -> str:
    """A tel: link (RFC 3966 keeps only digits, '+' and visual separators '-')."""
    return "tel:" + "".join(c for c in phone if c.isdigit() or c == "+")


def map_links(site: Site, lang: str) -> list[dict]:
    return navigation.as_data(navigation.site_links(site, lang))


def open_sites(catalog: Catalog, first: date, last: date,
               is_holiday: hours.Holidays = hours.no_holidays) -> list[tuple[Site, list[date]]]:
    """Sites with opening hours that open on some of the days first..last (inclusive):
    worth a visit without an event. Each with the days it opens, in the file's order."""
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)][:62]
    found = []
    for site in catalog.sites.values():
        if not site.opening_hours:
            continue
        opening = [d for d in days if hours.covers(site.opening_hours, d, is_holiday)]
        if opening:
            found.append((site, opening))
    return found
