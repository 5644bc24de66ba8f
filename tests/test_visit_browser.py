"""Getting there and in, in Chromium: map-app links on the site page, the event page, the
map popup and the plan; open now from the browser's clock; the driver block's copy button."""
from __future__ import annotations

from datetime import UTC, datetime

from canal.loader import load
from canal.navigation import APPS, site_links
from conftest import DATA, Watch, wait_for_map

MUSEUM_APPS = [link.url for link in site_links(load(DATA / "minimal.toml").sites["canal-museum"], "zh")]


def apps_in(scope) -> list[tuple[str, str]]:
    links = scope.locator("a.map-app[data-app]")
    return [(links.nth(i).get_attribute("data-app"), links.nth(i).get_attribute("href"))
            for i in range(links.count())]


def assert_museum_links(scope):
    found = apps_in(scope)
    assert [app for app, _ in found] == list(APPS)
    assert [href for _, href in found] == MUSEUM_APPS
    assert all(href.startswith("https://") for _, href in found)


def test_get_there_links_on_the_site_page_event_page_popup_and_plan(page, live_server):
    watch = Watch(page)
    page.goto(live_server + "/sites/canal-museum/")
    box = page.locator(".get-there").first
    assert box.locator(".get-there__heading").inner_text() == "导航"
    assert box.locator("a.map-app").first.inner_text() == "高德地图"
    assert_museum_links(box)
    # the named entrance has its own links, to its own point
    assert page.locator(".entrance").inner_text().startswith("西门：")

    page.goto(live_server + "/events/night-lecture/")
    assert_museum_links(page.locator(".get-there").first)
    booking = page.locator(".booking").first
    assert booking.locator(".booking__status").inner_text() == "需预约"
    assert booking.locator("a.booking__tel").get_attribute("href") == "tel:010-87654321".replace("-", "")
    assert booking.locator("a.booking__url").get_attribute("href") == "https://book.example.org/night"
    assert "微信小程序：运河夜话预约" in booking.inner_text()

    page.goto(live_server + "/")
    wait_for_map(page)
    page.evaluate("""() => new Promise(done => {
        const h = window.canalMaps.map_home;
        h.cluster.zoomToShowLayer(h.markers['canal-museum'], () => { h.markers['canal-museum'].openPopup(); done(); });
    })""")
    popup = page.locator(".leaflet-popup-content")
    popup.wait_for()
    assert_museum_links(popup)
    assert popup.locator(".canal-popup__booking-badge").first.inner_text() == "需预约"
    booking = popup.locator(".canal-popup__booking").first
    assert booking.locator("a[href^='tel:']").get_attribute("href") == "tel:01087654321"
    assert booking.locator("a[href^='https:']").get_attribute("href") == "https://book.example.org/night"

    page.goto(live_server + "/plan/?o=night-lecture@2026-12-31")
    stop = page.locator(".plan-stop").first
    assert_museum_links(stop)
    assert stop.locator(".booking__status").inner_text() == "需预约"
    assert watch.errors == []


def test_open_now_follows_the_browsers_clock_in_beijing_time(browser, live_server):
    # The server's "now" is 09:00 (closed, opens at 10:00); the visitor's clock says 11:30
    # Beijing time, in a browser set to New York time.
    context = browser.new_context(locale="en-GB", timezone_id="America/New_York")
    page = context.new_page()
    page.clock.set_fixed_time(datetime(2026, 12, 1, 3, 30, tzinfo=UTC))
    page.goto(live_server + "/en/sites/canal-museum/")
    now = page.locator(".hours__now")
    now.wait_for()
    page.wait_for_function("document.querySelector('.hours__now').textContent.startsWith('Open')")
    assert now.inner_text() == "Open now, until 20:00"
    assert "is-open" in now.get_attribute("class")
    assert page.locator(".hours__today").inner_text() == "Open today 10:00–20:00 (last entry 19:00)"
    assert page.locator(".hours__week li").all_inner_texts() == [
        "Tue–Sun 10:00–20:00 (last entry 19:00)", "Closed on Mondays", "Open as usual on public holidays"]

    page.clock.set_fixed_time(datetime(2026, 12, 1, 11, 30, tzinfo=UTC))  # 19:30 in Beijing
    page.reload()
    page.wait_for_function("document.querySelector('.hours__now').textContent.startsWith('Last')")
    assert now.inner_text() == "Last entry has passed (closes 20:00)"

    page.clock.set_fixed_time(datetime(2026, 12, 6, 16, 30, tzinfo=UTC))  # Monday 00:30
    page.reload()
    page.wait_for_function("document.querySelector('.hours__now').textContent.startsWith('Closed')")
    assert now.inner_text() == "Closed now; opens tomorrow at 10:00"
    context.close()


def test_english_pages_show_the_chinese_name_and_address_with_a_copy_button(browser, live_server):
    for javascript in (True, False):
        context = browser.new_context(java_script_enabled=javascript, locale="en-GB")
        page = context.new_page()
        page.goto(live_server + "/en/sites/canal-museum/")
        driver = page.locator(".driver")
        assert driver.locator("h2").inner_text() == "Show this to your driver"
        assert driver.locator(".driver__name").inner_text() == "北京大运河博物馆"
        assert driver.locator(".driver__card").get_attribute("lang") == "zh-Hans"
        button = driver.get_by_role("button", name="Copy the Chinese name and address")
        assert button.is_visible() is javascript  # without JavaScript there is nothing to click
        if javascript:
            context.grant_permissions(["clipboard-read", "clipboard-write"])
            button.click()
            page.wait_for_function("document.querySelector('.driver .copy-status').textContent !== ''")
            assert driver.locator(".copy-status").inner_text() == "Copied"
        context.close()
    # Chinese pages need no such block
    context = browser.new_context()
    page = context.new_page()
    page.goto(live_server + "/sites/canal-museum/")
    assert page.locator(".driver").count() == 0
    context.close()
