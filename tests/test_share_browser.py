"""Sharing and subscribing on a phone, in Chromium: QR codes as drawn on screen decode to the
right address, the event page's subscribe control is in the first screen at 375 px with
44 px tap targets, Web Share falls back to copy + QR, and in-app browsers get guidance."""
from __future__ import annotations

import io

import pytest
import zxingcpp
from PIL import Image

from test_share import BASE, DESKTOP, WECHAT, feeds

PHONE = {"width": 375, "height": 740}


def screen_qr(page) -> list[str]:
    """Decode the first QR code on the page from a screenshot of it, as a phone camera would."""
    code = page.locator(".qr-code").first
    code.scroll_into_view_if_needed()
    png = code.screenshot()
    return [result.text for result in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, locale="zh-CN", device_scale_factor=2, is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_every_subscribe_page_qr_code_decodes_to_its_feed(page, live_server, catalog, prefix):
    for page_path, feed_path in feeds(catalog):
        page.goto(live_server + prefix + page_path)
        assert page.locator(".qr-code").first.is_visible()
        assert screen_qr(page) == [BASE + prefix + feed_path], page_path
        box = page.locator(".qr-code").first.bounding_box()
        assert box["width"] >= 150  # big enough to scan from a screen


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_event_and_site_page_qr_codes_decode_to_the_page(page, live_server, catalog, prefix):
    pages = [f"/events/{id}/" for id in catalog.events] + [f"/sites/{id}/" for id in catalog.sites]
    for path in pages:
        page.goto(live_server + prefix + path)
        page.evaluate("() => { delete Navigator.prototype.share; }")  # the fallback shows the QR code
        page.locator("details.share > summary").click()
        assert screen_qr(page) == [BASE + prefix + path], path


def test_the_event_page_subscribe_control_is_in_the_first_screen(phone, live_server):
    page = phone
    for path in ("/events/farm-food-festival/", "/en/events/farm-food-festival/", "/en/events/kaicao-festival/"):
        page.goto(live_server + path)
        summary = page.locator("details.subscribe-series > summary")
        box = summary.bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= PHONE["height"], (path, box)
        for control in page.locator(".event-actions summary").all():
            size = control.bounding_box()
            assert size["width"] >= 44 and size["height"] >= 44, (path, size)
            assert size["y"] + size["height"] <= PHONE["height"], (path, size)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    summary.click()
    webcal = page.locator("details.subscribe-series a.subscribe-webcal")
    assert webcal.get_attribute("href") == "webcal://canal.test/en/events/kaicao-festival.ics"
    for link in page.locator("details.subscribe-series .action-panel a").all():
        assert link.bounding_box()["height"] >= 44, link.inner_text()
    page.locator("details.add-once > summary").click()
    for link in page.locator("details.add-once .action-panel a").all():
        assert link.bounding_box()["height"] >= 44, link.inner_text()


def test_web_share_falls_back_to_copy_and_qr_when_unavailable(phone, live_server):
    page = phone
    page.add_init_script("delete Navigator.prototype.share; delete Navigator.prototype.canShare;")
    page.goto(live_server + "/sites/xianghe-wharf/")
    assert page.evaluate("typeof navigator.share") == "undefined"
    assert not page.locator(".share-panel").is_visible()
    page.get_by_text("分享", exact=True).click()
    copy = page.locator(".share-panel button.copy-url")
    assert copy.is_visible() and page.locator(".share-panel .qr-code").is_visible()
    assert page.locator(".share-panel input").input_value() == f"{BASE}/sites/xianghe-wharf/"
    copy.click()
    assert page.locator(".share-panel .copy-status").inner_text() in ("地址已复制", "请选中地址后复制")


def test_web_share_opens_the_system_share_sheet_where_available(phone, live_server):
    page = phone
    page.add_init_script("""
        window.__shared = [];
        Navigator.prototype.share = function (data) { window.__shared.push(data); return Promise.resolve(); };
        Navigator.prototype.canShare = function () { return true; };
    """)
    page.goto(live_server + "/en/events/boat-trip/")
    page.locator("details.share > summary").click()
    shared = page.evaluate("window.__shared")
    assert [item["url"] for item in shared] == [f"{BASE}/en/events/boat-trip/"]
    assert shared[0]["title"] == page.evaluate("document.querySelector('meta[property=\"og:title\"]').content")
    assert not page.locator(".share-panel").is_visible()  # the sheet, not the fallback


def test_wechat_sees_the_guidance_first_and_a_desktop_browser_does_not(browser, live_server):
    wechat = browser.new_context(viewport=PHONE, user_agent=WECHAT)
    page = wechat.new_page()
    page.goto(live_server + "/subscribe/categories/food/")
    guide = page.locator("#inapp-guide")
    assert guide.is_visible()
    assert guide.bounding_box()["y"] < page.locator(".subscribe-main").bounding_box()["y"]
    assert guide.bounding_box()["y"] < PHONE["height"]
    assert guide.locator("a[download]").is_visible() and guide.locator("button.copy-url").is_visible()
    wechat.close()
    desktop = browser.new_context(viewport={"width": 1280, "height": 900}, user_agent=DESKTOP)
    page = desktop.new_page()
    page.goto(live_server + "/subscribe/categories/food/")
    assert not page.locator("#inapp-guide").is_visible()
    desktop.close()


def test_a_cached_or_exported_page_still_spots_wechat_in_the_browser(browser, live_server):
    """The server saw a desktop User-Agent (a CDN's copy, or the static export); the page's
    own script reads WeChat's from navigator.userAgent and shows the guidance."""
    context = browser.new_context(viewport=PHONE, user_agent=WECHAT)
    context.route("**/subscribe/**", lambda route: route.continue_(
        headers={**route.request.headers, "user-agent": DESKTOP}))
    page = context.new_page()
    response = page.goto(live_server + "/en/subscribe/")
    assert 'id="inapp-guide"' in response.text() and "hidden" in response.text().split('id="inapp-guide"')[1][:300]
    assert page.locator("#inapp-guide").is_visible()
    context.close()
