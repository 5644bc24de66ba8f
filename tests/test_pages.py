"""What a visitor sees on the first pages."""
from __future__ import annotations


def test_home_lists_upcoming_occurrences_in_beijing_time(client):
    page = client.get("/").get_data(as_text=True)
    assert "通武廊农旅美食嘉年华" in page
    assert "2026年12月12日星期六 10:00–17:00" in page
    assert '<a href="/sites/xianghe-wharf/">北运河香河段中心码头</a> · 河北廊坊' in page
    assert '<a class="title" href="/events/farm-food-festival/">通武廊农旅美食嘉年华</a>' in page
    assert page.index("2026年12月12日") < page.index("2026年12月31日")


def test_home_in_english_falls_back_to_chinese_titles(client):
    response = client.get("/en/")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<html lang="en">' in page
    assert "Tongwulang Farm-Tourism Food Carnival" in page
    assert "Saturday, 12 December 2026 10:00–17:00" in page
    assert "运河夜话" in page  # no English title: the Chinese one is shown


def test_cancelled_occurrence_is_marked(client):
    page = client.get("/en/").get_data(as_text=True)
    fair = page[page.index("Cancelled fair") - 200:page.index("Cancelled fair") + 200]
    assert 'class="occurrence cancelled"' in fair


def test_unknown_url_gets_a_friendly_404_in_the_right_language(client):
    zh = client.get("/no/such/page")
    en = client.get("/en/no/such/page")
    assert zh.status_code == en.status_code == 404
    assert "找不到页面" in zh.get_data(as_text=True)
    assert "Page not found" in en.get_data(as_text=True)


def test_language_switch_keeps_the_page(client):
    assert 'href="/en/"' in client.get("/").get_data(as_text=True)
    assert 'href="/"' in client.get("/en/").get_data(as_text=True)
