"""Share cards: what a shared link shows (title, description, image), and the images.

The images are drawn with Pillow: the title in Chinese and English, when and where, the
site's name and a QR code of the page, in the site's colours, at the two shapes link
previews use (1200×630 for Open Graph / Twitter "large image", and a 1:1 square that
WeChat and JSON-LD crops favour). Chinese needs a CJK font: Noto Sans CJK (SIL Open Font
Licence, redistributable), from Debian's fonts-noto-cjk, which the Makefile installs.
No Flask here: views ask `ShareImages` for bytes and add the HTTP headers.
"""
from __future__ import annotations

import io
import os
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from PIL import Image, ImageDraw, ImageFont

from . import links, qr, rules
from . import text as words
from .model import Catalog, Event, Occurrence, Site

# Debian's fonts-noto-cjk (and Ubuntu's): one collection file per weight.
FONT_DIRS = ("/usr/share/fonts/opentype/noto", "/usr/share/fonts/noto-cjk",
             "/usr/share/fonts/google-noto-cjk")
FONT_FILES = {"regular": "NotoSansCJK-Regular.ttc", "bold": "NotoSansCJK-Bold.ttc"}
# Faces in the collection: 0 JP, 1 KR, 2 SC, 3 TC, 4 HK. Simplified Chinese shapes.
FONT_INDEX = 2

# The site's colours (static/site.css).
WATER = (11, 95, 138)
WATER_DARK = (8, 63, 92)
INK = (29, 42, 51)
MUTED = (78, 93, 102)
BACKGROUND = (245, 248, 249)
WHITE = (255, 255, 255)
WARN = (163, 38, 27)

SHAPES = {"card": (1200, 630), "square": (1080, 1080)}
LABELS = {
    "zh": {"scan": "扫码打开", "cancelled": "已取消"},
    "en": {"scan": "Scan to open", "cancelled": "Cancelled"},
}
DESCRIPTION_MAX = 200  # characters: when, where and the start of the description; previews cut the rest
ELLIPSIS = "…"


class FontsMissing(RuntimeError):
    """No CJK font to draw the share images with."""


@dataclass(frozen=True)
class Fonts:
    regular: str
    bold: str
    index: int = FONT_INDEX


def find_fonts(directory: str | os.PathLike | None = None) -> Fonts:
    """The Noto Sans CJK files in `directory` (CANAL_FONT_DIR) or the system's font folders."""
    folders = [directory] if directory else list(FONT_DIRS)
    for folder in folders:
        paths = {weight: Path(folder) / name for weight, name in FONT_FILES.items()}
        if all(path.is_file() for path in paths.values()):
            return Fonts(str(paths["regular"]), str(paths["bold"]))
    raise FontsMissing(
        "Share images need the Noto Sans CJK fonts (NotoSansCJK-Regular.ttc and -Bold.ttc), "
        f"looked for in {', '.join(map(str, folders))}: install Debian's fonts-noto-cjk "
        "(`make run` and `make test` do) or set CANAL_FONT_DIR to the folder holding them")


@dataclass(frozen=True)
class Card:
    """What one share image shows; every string may be any text from events.toml."""

    title_zh: str
    title_en: str
    when: str
    where: str
    brand: str  # the website's name
    url: str  # the page the QR code opens
    lang: str
    cancelled: bool = False


def _brand(catalog: Catalog) -> str:
    name = catalog.meta.name
    return name.zh if not name.en or name.en == name.zh else f"{name.zh} · {name.en}"


def _event_when(event: Event, lang: str) -> str:
    if not event.recurring:
        return words.when(Occurrence.of(event, event.when), lang)
    described = rules.describe(event, lang)
    described = described[:1].upper() + described[1:]  # it starts a line on the card
    clock_times = event.when.clock
    if clock_times is None:
        return described
    return f"{described} · {words.clock(clock_times[0], lang)}–{words.clock(clock_times[1], lang)}"


def event_card(catalog: Catalog, event: Event, lang: str) -> Card:
    site = catalog.site_of(event)
    area = catalog.area_of(event)
    return Card(title_zh=event.title.zh, title_en=event.title.en or "",
                when=_event_when(event, lang),
                where=f"{site.name.get(lang)} · {area.name.get(lang)}",
                brand=_brand(catalog), url=links.event_url(catalog, lang, event.id),
                lang=lang, cancelled=event.cancelled)


def site_card(catalog: Catalog, site: Site, lang: str) -> Card:
    area = catalog.areas[site.area]
    return Card(title_zh=site.name.zh, title_en=site.name.en or "",
                when=f"{site.kind.get(lang)} · {area.name.get(lang)}",
                where=site.address.get(lang) if site.address else "",
                brand=_brand(catalog), url=links.site_url(catalog, lang, site.id), lang=lang)


def home_card(catalog: Catalog, lang: str) -> Card:
    """The card of every page that is not one event or one site."""
    name = catalog.meta.name
    return Card(title_zh=name.zh, title_en=name.en or "", when=catalog.meta.description.get(lang),
                where="", brand="", url=links.absolute(catalog, lang, "/"), lang=lang)


def short(text: str, limit: int = DESCRIPTION_MAX) -> str:
    """`text` cut at `limit` characters with an ellipsis (meta descriptions), else as it is."""
    return text if len(text) <= limit else text[:limit - 1].rstrip() + ELLIPSIS


# --- Drawing ---------------------------------------------------------------------

# Invisible characters that reorder or join text: dropped, so no title can push the
# rest of a line out of its box or hide characters.
_INVISIBLE = {"Cc", "Cf", "Co", "Cs", "Zl", "Zp"}


@lru_cache(maxsize=64)
def _font(path: str, index: int, size: int) -> ImageFont.FreeTypeFont:
    # BASIC layout: the same line breaks with or without libraqm on the machine.
    return ImageFont.truetype(path, size, index=index, layout_engine=ImageFont.Layout.BASIC)


@lru_cache(maxsize=1)
def _missing_glyph(font_path: str, index: int) -> bytes:
    font = _font(font_path, index, 32)
    return bytes(font.getmask("\U0010FFFD"))  # a private-use character: the font's "tofu" box


@lru_cache(maxsize=8192)
def _has_glyph(font_path: str, index: int, char: str) -> bool:
    font = _font(font_path, index, 32)
    mask = font.getmask(char)
    return char.isspace() or bytes(mask) != _missing_glyph(font_path, index)


def drawable(text: str, fonts: Fonts) -> str:
    """`text` with what the font cannot draw (emoji, Arabic, controls) left out and
    runs of white space made one space: tofu boxes help nobody on a thumbnail."""
    kept = []
    for char in text:
        if char in "\n\t\r":
            char = " "
        if unicodedata.category(char) in _INVISIBLE:
            continue
        if _has_glyph(fonts.regular, fonts.index, char):
            kept.append(char)
    return " ".join("".join(kept).split())


def _is_wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def _tokens(text: str) -> list[str]:
    """Break opportunities: between CJK characters, and at spaces between words."""
    found, word = [], ""
    for char in text:
        if char == " " or _is_wide(char):
            if word:
                found.append(word)
                word = ""
            found.append(char)
        else:
            word += char
    if word:
        found.append(word)
    return found


# Chinese punctuation that must not begin a line (GB/T 15834 practice): it stays with the
# character before it, which moves to the new line with it.
NO_LINE_START = set("、，。；：！？）》」』】〉”’…·,.;:!?)]}%")


def wrap(text: str, font: ImageFont.FreeTypeFont, width: int, max_lines: int) -> list[str]:
    """At most `max_lines` lines no wider than `width` px; an ellipsis ends a cut text."""
    lines, line = [], ""
    pieces = _tokens(text)
    while pieces:
        piece = pieces.pop(0)
        candidate = line + piece
        if font.getlength(candidate) <= width:
            line = candidate
            continue
        if not line.strip() and len(piece) > 1:
            # One word wider than the box: split it where it overflows.
            cut = next(n for n in range(len(piece), 0, -1) if font.getlength(piece[:n]) <= width or n == 1)
            pieces[:0] = [piece[:cut], piece[cut:]]
            continue
        if piece[:1] in NO_LINE_START and len(line.rstrip()) > 1 and _is_wide(line.rstrip()[-1]):
            piece, line = line.rstrip()[-1] + piece, line.rstrip()[:-1]
        lines.append(line.rstrip())
        line = "" if piece == " " else piece
        if len(lines) == max_lines:
            break
    else:
        if line.strip():
            lines.append(line.rstrip())
        return lines[:max_lines]
    # Cut: the last line ends with an ellipsis, still within the width.
    last = lines[-1]
    while last and font.getlength(last + ELLIPSIS) > width:
        last = last[:-1]
    lines[-1] = last.rstrip() + ELLIPSIS
    return lines


@dataclass(frozen=True)
class _Layout:
    band: int  # height of the top band with the brand
    margin: int
    qr: int  # side of the QR code box
    qr_at: tuple[int, int]
    text_width: int
    title: int  # font sizes
    subtitle: int
    body: int
    title_lines: int
    subtitle_lines: int
    bottom: int  # text must end above this y


LAYOUTS = {
    "card": _Layout(band=88, margin=56, qr=300, qr_at=(1200 - 56 - 300, 88 + 64), text_width=1200 - 56 * 3 - 300,
                    title=60, subtitle=34, body=30, title_lines=2, subtitle_lines=2, bottom=630 - 40),
    "square": _Layout(band=104, margin=64, qr=320, qr_at=(1080 - 64 - 320, 1080 - 64 - 320 - 44),
                      text_width=1080 - 64 * 2, title=76, subtitle=42, body=36, title_lines=3,
                      subtitle_lines=2, bottom=1080 - 64 - 320 - 44 - 28),
}


def _draw_qr(image: Image.Image, url: str, box: int, at: tuple[int, int]) -> None:
    modules = qr.matrix(url)
    count = len(modules) + 2 * qr.QUIET_ZONE
    size = box // count  # whole pixels per module: crisp edges for scanners
    side = size * count
    x0 = at[0] + (box - side) // 2
    y0 = at[1] + (box - side) // 2
    draw = ImageDraw.Draw(image)
    draw.rectangle([at[0], at[1], at[0] + box - 1, at[1] + box - 1], fill=WHITE)
    for row, cells in enumerate(modules):
        for col, dark in enumerate(cells):
            if dark:
                x = x0 + (col + qr.QUIET_ZONE) * size
                y = y0 + (row + qr.QUIET_ZONE) * size
                draw.rectangle([x, y, x + size - 1, y + size - 1], fill=INK)


def text_lines(card: Card, shape: str,
               fonts: Fonts) -> list[tuple[tuple[int, int], str, ImageFont.FreeTypeFont, tuple]]:
    """Where each line of text goes on the image: ((x, y), text, font, colour).

    Every line fits its box (wrapped, cut with an ellipsis); the title gives up lines
    first, so that when and where always fit however long the title is."""
    layout = LAYOUTS[shape]
    labels = LABELS["en" if card.lang == "en" else "zh"]
    bold = lambda size: _font(fonts.bold, fonts.index, size)  # noqa: E731
    regular = lambda size: _font(fonts.regular, fonts.index, size)  # noqa: E731

    def lines(text: str, font, max_lines: int) -> list[str]:
        return wrap(drawable(text, fonts), font, layout.text_width, max_lines) if text else []

    title_zh, title_en = drawable(card.title_zh, fonts), drawable(card.title_en, fonts)
    blocks: list[list[Any]] = []  # [lines, font, colour, gap after]
    if card.cancelled:
        blocks.append([lines(labels["cancelled"], bold(layout.body), 1), bold(layout.body), WARN, 4])
    title_font = bold(layout.title)
    title = [lines(title_zh, title_font, layout.title_lines), title_font, INK, 8]
    blocks.append(title)
    if title_en and title_en != title_zh:
        subtitle_font = regular(layout.subtitle)
        blocks.append([lines(title_en, subtitle_font, layout.subtitle_lines), subtitle_font, WATER_DARK, 20])
    blocks.append([lines(card.when, regular(layout.body), 2 if card.where else 3), regular(layout.body), INK, 6])
    blocks.append([lines(card.where, regular(layout.body), 2), regular(layout.body), MUTED, 0])

    top = layout.band + 48
    height = lambda: sum(len(found) * round(font.size * 1.3) + gap for found, font, _, gap in blocks)  # noqa: E731
    allowed = layout.title_lines
    while height() > layout.bottom - top and allowed > 1:
        allowed -= 1
        title[0] = lines(title_zh, title_font, allowed)
    placed: list[tuple[tuple[int, int], str, ImageFont.FreeTypeFont, tuple]] = []
    y = top
    for found, font, colour, gap in blocks:
        line_height = round(font.size * 1.3)
        for line in found:
            if y + line_height > layout.bottom:
                return placed  # never below the space left for text
            placed.append(((layout.margin, y), line, font, colour))
            y += line_height
        y += gap
    return placed


def draw(card: Card, shape: str, fonts: Fonts) -> bytes:
    """The share image of `card` as PNG bytes; `shape` is "card" (1200×630) or "square"."""
    width, height = SHAPES[shape]
    layout = LAYOUTS[shape]
    labels = LABELS["en" if card.lang == "en" else "zh"]
    image = Image.new("RGB", (width, height), BACKGROUND)
    pen = ImageDraw.Draw(image)

    # Top band with the website's name (empty on the website's own card); a rule at the foot.
    pen.rectangle([0, 0, width, layout.band], fill=WATER)
    pen.rectangle([0, height - 14, width, height], fill=WATER_DARK)
    brand_font = _font(fonts.bold, fonts.index, layout.body)
    brand = wrap(drawable(card.brand, fonts), brand_font, width - 2 * layout.margin, 1)
    if brand:
        pen.text((layout.margin, layout.band // 2), brand[0], font=brand_font, fill=WHITE, anchor="lm")
    for at, line, font, colour in text_lines(card, shape, fonts):
        pen.text(at, line, font=font, fill=colour)

    _draw_qr(image, card.url, layout.qr, layout.qr_at)
    qx, qy = layout.qr_at
    pen.text((qx + layout.qr // 2, qy + layout.qr + 10), labels["scan"],
             font=_font(fonts.regular, fonts.index, 26), fill=MUTED, anchor="mt")

    out = io.BytesIO()
    image.save(out, "PNG")  # optimize=True saves 3 % for 3× the time
    return out.getvalue()


class ShareImages:
    """Share images drawn on first request and kept for the catalog's life (they hold
    no "now"); thread-safe, and each image is drawn once however many ask at once."""

    def __init__(self, catalog: Catalog, fonts: Fonts):
        self.catalog = catalog
        self.fonts = fonts
        self._images: dict[tuple, bytes] = {}
        self._lock = threading.Lock()

    def card(self, kind: str, id: str | None, lang: str) -> Card:
        """The card for ("events" | "sites" | "home", id); KeyError for an unknown id."""
        if kind == "events":
            return event_card(self.catalog, self.catalog.events[id or ""], lang)
        if kind == "sites":
            return site_card(self.catalog, self.catalog.sites[id or ""], lang)
        if kind == "home":
            return home_card(self.catalog, lang)
        raise KeyError(kind)

    def get(self, kind: str, id: str | None, lang: str, shape: str) -> bytes:
        """PNG bytes; KeyError for an unknown kind, id or shape."""
        if shape not in SHAPES:
            raise KeyError(shape)
        key = (kind, id, lang, shape)
        found = self._images.get(key)
        if found is None:
            card = self.card(kind, id, lang)
            with self._lock:
                found = self._images.get(key)
                if found is None:
                    found = self._images[key] = draw(card, shape, self.fonts)
        return found
