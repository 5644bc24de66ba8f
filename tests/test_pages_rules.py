"""Recurrence rules in words, as the event page shows them."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest

from canal.rules import describe


def event(catalog, repeat, start=None, except_dates=()):
    base = catalog.events["farm-food-festival"]
    return replace(base, repeat=repeat, start=start or base.start, except_dates=except_dates)


@pytest.mark.parametrize("repeat, start, zh, en", [
    ("FREQ=MONTHLY;BYDAY=2SA;COUNT=12", None, "每月第二个周六，共12次",
     "every month on the 2nd Saturday, 12 times"),
    ("FREQ=MONTHLY;BYDAY=-1SU", None, "每月最后一个周日", "every month on the last Sunday"),
    ("FREQ=WEEKLY;BYDAY=SA,SU;UNTIL=20270531", None, "每周末（周六、周日），至2027年5月31日",
     "every weekend (Saturday and Sunday), until 31 May 2027"),
    ("FREQ=WEEKLY;BYDAY=FR,SA", None, "每周五、周六", "every Friday and Saturday"),
    ("FREQ=WEEKLY;INTERVAL=2", None, "每两周的周六", "every 2 weeks on Saturday"),
    ("FREQ=WEEKLY", None, "每周六", "every Saturday"),  # the start's weekday
    ("FREQ=DAILY;COUNT=3", None, "每天，共3次", "every day, 3 times"),
    ("FREQ=MONTHLY;INTERVAL=3", None, "每三个月12日", "every 3 months on day 12"),
    ("FREQ=YEARLY", None, "每年12月12日", "every year on 12 December"),
    ("FREQ=YEARLY;BYMONTH=5,10;BYMONTHDAY=1,2,3,4,5;COUNT=10", datetime(2027, 5, 1, 9),
     "每年5月、10月的1日至5日，共10次", "every year in May and October, on days 1–5, 10 times"),
])
def test_rule_in_words(catalog, repeat, start, zh, en):
    e = event(catalog, repeat, start)
    assert describe(e, "zh") == zh
    assert describe(e, "en") == en


def test_except_dates_are_named(catalog):
    e = event(catalog, "FREQ=MONTHLY;BYDAY=2SA", except_dates=(date(2027, 2, 13), date(2027, 1, 9)))
    assert describe(e, "zh") == "每月第二个周六（2027年1月9日、2027年2月13日除外）"
    assert describe(e, "en") == "every month on the 2nd Saturday (except 9 January 2027 and 13 February 2027)"


def test_one_off_event_has_no_rule(catalog):
    assert describe(catalog.events["kaicao-festival"], "en") == ""


def test_the_count_in_words_is_the_number_of_dates_that_happen(catalog):
    """COUNT includes the skipped dates (RFC 5545); the words count what visitors can attend."""
    import re

    from canal.recurrence import occurrences
    e = catalog.events["farm-food-festival"]
    happening = occurrences(catalog, date(2000, 1, 1), date(2100, 1, 1), [e])
    for lang, pattern in (("zh", r"共(\d+)次"), ("en", r"(\d+) times")):
        assert int(re.search(pattern, describe(e, lang)).group(1)) == len(happening)
