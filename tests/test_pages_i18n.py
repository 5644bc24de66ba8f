"""Both languages: every page answers, and no interface string is left untranslated."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from pages_html import Page

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "translations" / "zh" / "LC_MESSAGES" / "messages.po"

PAGES = ["/", "/calendar/", "/calendar/2027/04/", "/events/", "/events/?q=nothing-matches",
         "/events/?category=food&category=boat-trip&page=2", "/sites/",
         "/events/farm-food-festival/", "/events/kaicao-festival/", "/events/boat-trip/",
         "/events/night-lecture/", "/events/cancelled-fair/",
         "/sites/xianghe-wharf/", "/sites/caoyun-wharf/", "/sites/canal-museum/"]


def catalog_messages():
    with PO.open("rb") as f:
        return [m for m in read_po(f, locale="zh") if m.id]


def test_every_message_is_translated():
    empty = [m.id for m in catalog_messages()
             if not (all(m.string) if isinstance(m.string, tuple) else m.string)]
    assert empty == []


def test_a_plain_pybabel_compile_builds_the_chinese_catalog(tmp_path):
    """Without a header Babel counts the whole catalog as fuzzy, and `pybabel compile`
    (without --use-fuzzy) skips it: the Chinese site would silently show English."""
    with PO.open("rb") as f:
        assert not read_po(f, locale="zh").fuzzy
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "compile", "-i", str(PO),
                    "-o", str(tmp_path / "messages.mo"), "-l", "zh"], check=True, capture_output=True)
    assert (tmp_path / "messages.mo").stat().st_size > 1000


def test_catalog_is_up_to_date_with_the_code(tmp_path):
    """`make extract` would add nothing: extract to a temp .pot and compare msgids."""
    pot = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
                    "-k", "_l", "--no-location", "--sort-output", "--omit-header", "-o", str(pot), "."],
                   cwd=ROOT, check=True, capture_output=True)
    with pot.open("rb") as f:
        extracted = {m.id for m in read_po(f) if m.id}
    assert extracted - {m.id for m in catalog_messages()} == set()


@pytest.mark.parametrize("url", PAGES)
def test_every_page_answers_in_both_languages(client, url):
    zh, en = client.get(url), client.get("/en" + url)
    assert zh.status_code == en.status_code == 200
    assert '<html lang="zh-Hans">' in zh.get_data(as_text=True)
    assert '<html lang="en">' in en.get_data(as_text=True)


@pytest.mark.parametrize("url", PAGES + ["/events/?from=bad", "/calendar/2026/13/", "/no/such/page"])
def test_chinese_pages_show_no_english_interface_text(client, url):
    text = Page(client.get(url).get_data(as_text=True)).text
    # Every English source string long enough to be unambiguous must not show through.
    leaks = [m.id for m in catalog_messages()
             if isinstance(m.id, str) and len(m.id) > 3 and "%(" not in m.id and m.id in text
             and m.string != m.id]  # brand names such as "Outlook.com" read the same in Chinese
    assert leaks == []


def test_hreflang_alternates_and_switch_keep_the_page_and_query(client):
    page = Page(client.get("/events/?area=tongzhou&q=%E5%A4%9C").get_data(as_text=True))
    alternates = {a["hreflang"]: a["href"] for t, a in page.elements
                  if t == "link" and a.get("rel") == "alternate" and "hreflang" in a}
    assert alternates == {"zh-Hans": "https://canal.test/events/?area=tongzhou&q=%E5%A4%9C",
                          "en": "https://canal.test/en/events/?area=tongzhou&q=%E5%A4%9C",
                          "x-default": "https://canal.test/events/?area=tongzhou&q=%E5%A4%9C"}
    switch = [a["href"] for t, a in page.elements if t == "a" and a.get("class") == "lang-switch"]
    assert switch == ["/en/events/?area=tongzhou&q=%E5%A4%9C"]


def test_dates_and_weekdays_follow_the_language(client):
    zh = Page(client.get("/calendar/2027/01/").get_data(as_text=True))
    en = Page(client.get("/en/calendar/2027/01/").get_data(as_text=True))
    assert "周一" in zh.text and "2027年1月9日星期六" in zh.text
    assert "Mon" in en.text and "Saturday, 9 January 2027" in en.text
    assert "Calendar: January 2027" in en.text
