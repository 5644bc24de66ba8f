"""Subscribe pages, share cards (Open Graph / Twitter / microdata) and share images, read as a
link preview or a visitor's phone would: parsed HTML, decoded PNGs, decoded QR codes."""
from __future__ import annotations

import io
import json

import pytest
import zxingcpp
from PIL import Image

from canal import create_app, sharecard
from canal.loader import load
from canal.model import Event, Text
from conftest import DATA, NOW
from pages_html import Page

BASE = "https://canal.test"
WECHAT = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
          "Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN")
DESKTOP = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
           "Chrome/130.0.0.0 Safari/537.36")


def feeds(catalog) -> list[tuple[str, str]]:
    """(subscribe page path, feed path) of every feed, without the language prefix."""
    pairs = [("/subscribe/", "/feeds/all.ics")]
    pairs += [(f"/subscribe/areas/{id}/", f"/feeds/areas/{id}.ics") for id in catalog.areas]
    pairs += [(f"/subscribe/sites/{id}/", f"/feeds/sites/{id}.ics") for id in catalog.sites]
    pairs += [(f"/subscribe/categories/{id}/", f"/feeds/categories/{id}.ics") for id in catalog.categories]
    pairs += [(f"/subscribe/events/{id}/", f"/events/{id}.ics") for id in catalog.events]
    return pairs


def by_id(page: Page, id: str) -> dict:
    return next(attrs for tag, attrs in page.elements if attrs.get("id") == id)


def decode(png: bytes) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(Image.open(io.BytesIO(png)))]


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_every_feed_has_a_subscribe_page_with_its_addresses(client, catalog, prefix):
    for page_path, feed_path in feeds(catalog):
        response = client.get(prefix + page_path)
        assert response.status_code == 200, page_path
        page = Page(response.get_data(as_text=True))
        https = BASE + prefix + feed_path
        assert by_id(page, "feed-https")["value"] == https
        assert by_id(page, "feed-webcal")["value"] == "webcal://canal.test" + prefix + feed_path
        [webcal] = [a["href"] for t, a in page.elements if t == "a" and "subscribe-webcal" in a.get("class", "")]
        assert webcal == "webcal://canal.test" + prefix + feed_path
        [ics] = [a["href"] for t, a in page.elements if t == "a" and "subscribe-ics" in a.get("class", "")]
        assert ics == prefix + feed_path
        feed = client.get(ics)  # the addresses on the page answer with the feed itself
        assert feed.status_code == 200 and feed.mimetype == "text/calendar"
        assert sum(1 for t, a in page.elements if t == "button" and "copy-url" in a.get("class", "")) >= 2
        assert "Google" in page.text and "Thunderbird" in page.text and "Outlook" in page.text


def test_subscribe_pages_say_how_often_each_app_refreshes(client):
    text = Page(client.get("/en/subscribe/").get_data(as_text=True)).text
    assert "cannot be reached from mainland China" in text
    assert "every 8 to 24 hours" in text
    assert "about every 3 hours" in text and "30 minutes" in text
    assert "from every 5 minutes to every week" in text
    zh = Page(client.get("/subscribe/").get_data(as_text=True)).text
    assert "在中国大陆，不使用 VPN 无法访问 Google 日历" in zh


@pytest.mark.parametrize("path", ["/subscribe/areas/nowhere/", "/subscribe/sites/nowhere/",
                                  "/subscribe/categories/nothing/", "/subscribe/events/nothing/",
                                  "/en/subscribe/events/nothing/", "/share/events/nothing/card.png",
                                  "/share/sites/nowhere/square.png", "/share/events/boat-trip/round.png",
                                  "/share/oblong.png"])
def test_unknown_feeds_and_images_are_404(client, path):
    assert client.get(path).status_code == 404


def test_wechat_gets_the_open_in_browser_guidance_first(client):
    response = client.get("/subscribe/categories/food/", headers={"User-Agent": WECHAT})
    html = response.get_data(as_text=True)
    page = Page(html)
    guide = by_id(page, "inapp-guide")
    assert "hidden" not in guide
    # First: before the subscribe buttons, which do not work in there.
    assert html.index('id="inapp-guide"') < html.index('class="subscribe subscribe-main"')
    assert "在浏览器打开" in page.text and "点右上角的 ···" in page.text
    # What does work in there: the copy button and the .ics download, inside the guide.
    guide_html = html[html.index('id="inapp-guide"'):html.index("</section>", html.index('id="inapp-guide"'))]
    assert 'class="copy-url"' in guide_html and 'download="food.ics"' in guide_html
    assert "User-Agent" in response.headers["Vary"]


def test_a_desktop_browser_gets_no_guidance_even_after_wechat_asked(client):
    client.get("/subscribe/categories/food/", headers={"User-Agent": WECHAT})  # cached variant
    response = client.get("/subscribe/categories/food/", headers={"User-Agent": DESKTOP})
    assert "hidden" in by_id(Page(response.get_data(as_text=True)), "inapp-guide")
    assert "User-Agent" in response.headers["Vary"]


def test_subscribe_boxes_and_event_pages_link_to_the_subscribe_pages(client):
    home = Page(client.get("/en/").get_data(as_text=True))
    assert "/en/subscribe/" in home.links
    site = Page(client.get("/sites/xianghe-wharf/").get_data(as_text=True))
    assert "/subscribe/sites/xianghe-wharf/" in site.links
    agenda = Page(client.get("/events/?category=food").get_data(as_text=True))
    assert "/subscribe/categories/food/" in agenda.links
    event = Page(client.get("/en/events/farm-food-festival/").get_data(as_text=True))
    assert "/en/subscribe/events/farm-food-festival/" in event.links
    # The series itself, with the same choices as the feed subscribe box.
    assert "webcal://canal.test/en/events/farm-food-festival.ics" in event.links
    assert by_id(event, "series-farm-food-festival-url")["value"] == f"{BASE}/en/events/farm-food-festival.ics"


# --- Share cards ---------------------------------------------------------------------

PAGE_TYPES = ["/", "/calendar/", "/calendar/2027/01/", "/events/", "/sites/", "/events/farm-food-festival/",
              "/events/boat-trip/", "/sites/xianghe-wharf/", "/sites/canal-museum/", "/subscribe/",
              "/subscribe/events/boat-trip/", "/plan/"]


def card_of(client, path: str) -> dict:
    page = Page(client.get(path).get_data(as_text=True))
    found: dict = {}
    for tag, attrs in page.elements:
        if tag == "meta":
            key = attrs.get("property") or attrs.get("name") or ("itemprop:" + attrs.get("itemprop", ""))
            found.setdefault(key, []).append(attrs.get("content"))
    return found


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_every_page_type_has_its_own_correct_share_card(client, catalog, prefix):
    lang = "en" if prefix else "zh"
    cards = {path: card_of(client, prefix + path) for path in PAGE_TYPES}
    for path, card in cards.items():
        assert card["og:url"] == [BASE + prefix + path], path
        assert card["og:locale"] == ["en_US" if prefix else "zh_CN"]
        assert card["og:locale:alternate"] == ["zh_CN" if prefix else "en_US"]
        assert card["og:title"][0] and card["og:description"][0], path
        assert card["twitter:card"] == ["summary_large_image"]
        assert card["twitter:title"] == card["og:title"] and card["twitter:image"] == card["og:image"][:1]
        assert card["itemprop:name"] == card["og:title"]
        assert card["itemprop:description"] == card["og:description"] == card["description"]
        assert card["itemprop:image"] == card["og:image"][1:]
        # Each image answers 200 image/png at the size the tags state.
        for url, width, height in zip(card["og:image"], card["og:image:width"], card["og:image:height"], strict=True):
            assert url.startswith(BASE + prefix + "/share/"), (path, url)
            response = client.get(url[len(BASE):])
            assert response.status_code == 200 and response.mimetype == "image/png", url
            assert Image.open(io.BytesIO(response.data)).size == (int(width), int(height)), url
    # Unique: no two pages share a title, description and address all at once, and the
    # address is always the page's own.
    assert len({card["og:url"][0] for card in cards.values()}) == len(PAGE_TYPES)
    assert len({(card["og:title"][0], card["og:description"][0]) for card in cards.values()}) == len(PAGE_TYPES)
    event = catalog.events["farm-food-festival"]
    festival = cards["/events/farm-food-festival/"]
    assert festival["og:title"] == [event.title.get(lang)]
    when = sharecard.event_card(catalog, event, lang).when
    assert festival["og:description"][0].startswith(when)  # no description: when and where
    assert festival["og:image"] == [f"{BASE}{prefix}/share/events/farm-food-festival/card.png",
                                    f"{BASE}{prefix}/share/events/farm-food-festival/square.png"]
    wharf = cards["/sites/xianghe-wharf/"]
    assert wharf["og:title"] == [catalog.sites["xianghe-wharf"].name.get(lang)]
    assert wharf["og:description"] == [sharecard.short(catalog.sites["xianghe-wharf"].description.get(lang))]
    assert cards["/"]["og:description"] == [catalog.meta.description.get(lang)]
    assert cards["/subscribe/events/boat-trip/"]["og:image"][0].endswith("/share/events/boat-trip/card.png")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_event_card_describes_the_event_from_its_own_text(lang):
    app = create_app({"TESTING": True, "CANAL_NOW": NOW})  # the shipped events.toml
    catalog = app.extensions["canal_catalog"]
    event = catalog.events["farm-food-festival"]
    prefix = "/en" if lang == "en" else ""
    card = card_of(app.test_client(), f"{prefix}/events/farm-food-festival/")
    [description] = card["og:description"]
    assert description.startswith(sharecard.event_card(catalog, event, lang).when)
    assert " ".join(event.description.get(lang).split())[:20] in " ".join(description.split())
    assert len(description) <= sharecard.DESCRIPTION_MAX


def test_event_jsonld_carries_the_share_images(client):
    [first, *_] = Page(client.get("/events/farm-food-festival/").get_data(as_text=True)).jsonld[0]
    assert first["image"] == [f"{BASE}/share/events/farm-food-festival/card.png",
                              f"{BASE}/share/events/farm-food-festival/square.png"]


def test_share_images_have_validators_and_answer_304(client):
    response = client.get("/share/sites/xianghe-wharf/card.png")
    assert response.status_code == 200 and response.headers["ETag"] and response.headers["Last-Modified"]
    assert "max-age" in response.headers["Cache-Control"]
    again = client.get("/share/sites/xianghe-wharf/card.png", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    assert client.get("/share/sites/xianghe-wharf/card.png").data == response.data  # drawn once, kept


@pytest.mark.parametrize("path,target", [
    ("/share/events/farm-food-festival/card.png", f"{BASE}/events/farm-food-festival/"),
    ("/en/share/events/farm-food-festival/square.png", f"{BASE}/en/events/farm-food-festival/"),
    ("/share/sites/caoyun-wharf/card.png", f"{BASE}/sites/caoyun-wharf/"),
    ("/en/share/card.png", f"{BASE}/en/"),
])
def test_the_share_image_qr_code_opens_the_page(client, path, target):
    assert decode(client.get(path).data) == [target]


# --- Hostile text on the canvas ---------------------------------------------------------

HOSTILE_TITLE = Text(
    zh="大运河" * 60 + "🎉🚣‍♀️🏮" + "<script>alert(1)</script>&amp;" + "\u202e反转\u202c" + "مهرجان القناة الكبرى",
    en="Grand Canal 🎉 " + "Supercalifragilisticexpialidocious" * 6 + " <b>bold</b> \u200f שלום עולם " * 5,
)


def hostile_event(catalog) -> Event:
    base = catalog.events["farm-food-festival"]
    return Event(**{**base.__dict__, "title": HOSTILE_TITLE, "status": "cancelled"})


def text_pixels(image: Image.Image, box: tuple[int, int, int, int]) -> int:
    """Pixels in `box` that are not the background: ink that spilled there."""
    region = image.crop(box).convert("RGB")
    colours = region.getcolors(maxcolors=region.width * region.height) or []
    return sum(count for count, colour in colours if colour != sharecard.BACKGROUND)


@pytest.mark.parametrize("shape", ["card", "square"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_hostile_title_stays_inside_its_box(catalog, shape, lang):
    fonts = sharecard.find_fonts()
    card = sharecard.event_card(catalog, hostile_event(catalog), lang)
    image = Image.open(io.BytesIO(sharecard.draw(card, shape, fonts)))
    width, height = sharecard.SHAPES[shape]
    assert image.size == (width, height) and image.format == "PNG"
    layout = sharecard.LAYOUTS[shape]
    qx, qy = layout.qr_at
    # Left and right margins below the band stay clear.
    assert text_pixels(image, (0, layout.band + 1, layout.margin - 2, height - 14)) == 0
    assert text_pixels(image, (width - layout.margin + 2, layout.band + 1, width, height - 14)) == 0
    if shape == "card":  # the gutter between the text column and the QR code
        assert text_pixels(image, (layout.margin + layout.text_width + 2, layout.band + 1, qx - 1, height - 14)) == 0
    else:  # under the text, left of the QR code
        assert text_pixels(image, (0, layout.bottom + 1, qx - 1, height - 14)) == 0
    # The title was drawn, cut with an ellipsis; when and where still made it onto the image.
    shown = [line for _, line, _, _ in sharecard.text_lines(card, shape, fonts)]
    assert any(line.endswith("…") for line in shown)
    assert any(card.when.startswith(line.rstrip("…")) for line in shown), shown
    assert any(card.where.startswith(line.rstrip("…")) for line in shown), shown
    # The QR code still opens the page.
    assert text_pixels(image, (layout.margin, layout.band + 40, layout.margin + 400, layout.band + 120)) > 0
    assert decode(image_bytes(image)) == [card.url]


def image_bytes(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def test_wrap_cuts_long_text_with_an_ellipsis_within_the_width():
    fonts = sharecard.find_fonts()
    font = sharecard._font(fonts.bold, fonts.index, 60)
    lines = sharecard.wrap(sharecard.drawable(HOSTILE_TITLE.zh, fonts), font, 500, 2)
    assert len(lines) == 2 and lines[-1].endswith("…")
    assert all(font.getlength(line) <= 500 for line in lines)
    kept = sharecard.drawable("运河🎉\u202e节\u0000", fonts)
    assert kept == "运河节"  # emoji (no glyph in the font) and controls are left out


def test_chinese_punctuation_never_starts_a_line():
    fonts = sharecard.find_fonts()
    font = sharecard._font(fonts.regular, fonts.index, 30)
    text = "京杭大运河北运河段“通武廊”（北京通州、天津武清、河北廊坊）沿线的节庆、游船、展览与市集活动日历。"
    for width in range(300, 760, 10):
        lines = sharecard.wrap(text, font, width, 5)
        assert all(line[:1] not in sharecard.NO_LINE_START for line in lines), (width, lines)
        assert all(font.getlength(line) <= width for line in lines), (width, lines)
        assert "".join(lines).rstrip("…") in text


def test_every_hostile_page_has_share_images(data_path):
    app = create_app({"TESTING": True, "CANAL_EVENTS": data_path("hostile_all.toml"), "CANAL_NOW": NOW})
    client = app.test_client()
    catalog = load(DATA / "hostile_all.toml")
    for kind, ids in (("events", catalog.events), ("sites", catalog.sites)):
        for id in ids:
            for shape, size in (("card", (1200, 630)), ("square", (1080, 1080))):
                response = client.get(f"/en/share/{kind}/{id}/{shape}.png")
                assert response.status_code == 200, (kind, id)
                assert Image.open(io.BytesIO(response.data)).size == size
    page = client.get(f"/events/{next(iter(catalog.events))}/").get_data(as_text=True)
    json.loads(Page(page).jsonld_blocks[0]) if Page(page).jsonld_blocks else None


def test_the_app_refuses_to_start_without_the_cjk_font(tmp_path):
    with pytest.raises(SystemExit, match="fonts-noto-cjk"):
        create_app({"TESTING": True, "CANAL_EVENTS": str(DATA / "minimal.toml"), "CANAL_FONT_DIR": str(tmp_path)})
