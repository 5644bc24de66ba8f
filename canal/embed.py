"""What an embed on another site shows, and who may frame it. No Flask.

One URL contract in two forms: the server-rendered list at /embed/events/ (an iframe)
and the <canal-events> element (static/embed.js), which reads /api/events.json with the
same filters. The options here are the agenda's filters plus `limit` and `theme`.
"""
from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from .agenda import BadParameter, Filter, _single, parse_filter
from .model import Catalog

DEFAULT_LIMIT = 5
MAX_LIMIT = 50
THEMES = ("light", "dark", "compact")
DEFAULT_THEME = THEMES[0]
# Without the host's resize script the frame keeps this height and scrolls inside:
# about five items, so a phone never gets a frame taller than its screen.
FRAME_HEIGHT = 420

# An origin as browsers serialise it (lowercase scheme and host, port only when not the
# default), so it can be compared with a postMessage's `origin` and put in a CSP.
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
ORIGIN = re.compile(rf"^(https?)://({_LABEL}(?:\.{_LABEL})*)(?::(\d{{1,5}}))?$")
DEFAULT_PORTS = {"http": 80, "https": 443}
EXAMPLE_ORIGIN = "https://www.xianghe.gov.cn"


@dataclass(frozen=True)
class Options:
    """What an embed shows: which occurrences, how many, in which look."""

    filter: Filter = field(default_factory=Filter)
    limit: int = DEFAULT_LIMIT
    theme: str = DEFAULT_THEME

    def query(self) -> list[tuple[str, str]]:
        """As query parameters, leaving out the defaults (short, stable snippets)."""
        pairs = self.filter.query()
        if self.limit != DEFAULT_LIMIT:
            pairs.append(("limit", str(self.limit)))
        if self.theme != DEFAULT_THEME:
            pairs.append(("theme", self.theme))
        return pairs


def parse_limit(value: str) -> int:
    """`limit`: a whole number from 1 to MAX_LIMIT, DEFAULT_LIMIT when absent."""
    if not value:
        return DEFAULT_LIMIT
    if not (value.isascii() and value.isdigit() and len(value) <= 3) or not 1 <= int(value) <= MAX_LIMIT:
        raise BadParameter("limit", value, "limit", max=MAX_LIMIT)
    return int(value)


def parse_theme(value: str) -> str:
    if not value:
        return DEFAULT_THEME
    if value not in THEMES:
        raise BadParameter("theme", value, "theme", choices=", ".join(THEMES))
    return value


def parse_options(args: Mapping[str, Sequence[str]], catalog: Catalog,
                  base: Filter | None = None) -> Options:
    """The agenda's filters plus `limit` and `theme`; BadParameter for a bad value.

    `base` is a filter fixed by the path (/embed/events/areas/<id>/): the query may
    narrow it with the other filters but not repeat the fixed one."""
    chosen = parse_filter(args, catalog)
    if base is not None:
        for name, fixed in (("area", base.areas), ("site", base.sites), ("category", base.categories)):
            given = [v for v in args.get(name, ()) if v.strip()]
            if fixed and given:
                raise BadParameter(name, ", ".join(given), "fixed-by-path", fixed=fixed[0])
        chosen = Filter(areas=base.areas or chosen.areas, sites=base.sites or chosen.sites,
                        categories=base.categories or chosen.categories,
                        start=chosen.start, end=chosen.end, q=chosen.q)
    return Options(chosen, parse_limit(_single(args, "limit")), parse_theme(_single(args, "theme")))


def origin_problem(value: str) -> str | None:
    """Why `value` cannot be an entry of meta.embed_origins, or None when it can."""
    if value == "*":
        return None
    matched = ORIGIN.match(value)
    if matched:
        scheme, _, port = matched.groups()
        if port is not None and (int(port) == DEFAULT_PORTS[scheme] or not 0 < int(port) < 65536):
            bare = value.rsplit(":", 1)[0]
            return (f"'{value}' has the port {port}: write {bare} (browsers leave out "
                    f"the default port, and a port must be 1 to 65535)")
        return None
    lowered = value.lower()
    if lowered != value and ORIGIN.match(lowered):
        return f"'{value}' has capital letters: write it as {lowered}"
    scheme_host = re.match(r"^(https?://[^/?#\s]+)[/?#]", value)
    if scheme_host and ORIGIN.match(scheme_host.group(1)):
        return (f"'{value}' is a page address: write only the origin {scheme_host.group(1)} "
                "(scheme, host and port, no path)")
    return (f"'{value}' is not a web origin: expected http(s)://host or http(s)://host:port, "
            f"such as {EXAMPLE_ORIGIN}, or \"*\" for any site")


def frame_ancestors(origins: Sequence[str]) -> str:
    """The CSP `frame-ancestors` sources for an embed: our own pages (the builder's
    preview) and the listed origins; `*` only when the operator listed it."""
    if "*" in origins:
        return "*"
    return " ".join(["'self'", *origins])
