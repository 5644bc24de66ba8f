"""A small reader of our HTML pages for tests: links, visible text, JSON-LD, month grid.

Built on the standard library's HTMLParser, so tests read pages as a browser's
parser would rather than searching the raw markup.
"""
from __future__ import annotations

import json
import re
from html.parser import HTMLParser


def plain_asset(url: str) -> str:
    """A static file's URL without the content hash in its name (map.0123456789ab.js -> map.js)."""
    return re.sub(r"\.[0-9a-f]{12}(?=\.[^./]+$|$)", "", url)


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class Page(HTMLParser):
    """Parse once; read `.links`, `.text`, `.jsonld`, `.grid`, `.elements`."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.elements: list[tuple[str, dict]] = []  # every start tag with its attributes
        self.jsonld_blocks: list[str] = []
        self.scripts: list[str] = []
        self._rows: list[list[dict]] = []
        self._text: list[str] = []
        self._script: dict | None = None
        self._cell: dict | None = None
        self._in_style = False
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.elements.append((tag, attrs))
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])
        if tag == "script":
            self._script = {"type": attrs.get("type", ""), "text": []}
        if tag == "style":
            self._in_style = True
        if tag == "tr" and self._in_grid():
            self._rows.append([])
        if tag == "td" and self._rows:
            self._cell = {"date": None, "text": "", "classes": attrs.get("class", "").split(),
                          "attrs": attrs}
            self._rows[-1].append(self._cell)
        if tag == "time" and self._cell is not None and self._cell["date"] is None:
            self._cell["date"] = attrs.get("datetime")

    def _in_grid(self) -> bool:
        return any(t == "table" and "month-grid" in (a.get("class") or "") for t, a in self.elements)

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            text = "".join(self._script["text"])
            (self.jsonld_blocks if self._script["type"] == "application/ld+json" else self.scripts).append(text)
            self._script = None
        if tag == "style":
            self._in_style = False
        if tag == "td":
            self._cell = None

    def handle_data(self, data):
        if self._script is not None:
            self._script["text"].append(data)
            return
        if self._in_style:
            return
        self._text.append(data)
        if self._cell is not None:
            self._cell["text"] += data

    @property
    def grid(self) -> list[list[dict]]:
        """Month grid rows (weeks) of cells {"date", "text", "classes", "attrs"}."""
        return [row for row in self._rows if row]

    @property
    def text(self) -> str:
        """Visible text, whitespace collapsed."""
        return " ".join("".join(self._text).split())

    @property
    def jsonld(self) -> list:
        return [json.loads(block) for block in self.jsonld_blocks]

    def cell(self, iso_date: str) -> dict:
        """The grid cell of a date (YYYY-MM-DD)."""
        for row in self.grid:
            for cell in row:
                if cell["date"] == iso_date:
                    return cell
        raise KeyError(iso_date)

    def column_of(self, iso_date: str) -> int:
        """0 = Monday ... 6 = Sunday: where the date sits in its week row."""
        for row in self.grid:
            for index, cell in enumerate(row):
                if cell["date"] == iso_date:
                    return index
        raise KeyError(iso_date)
