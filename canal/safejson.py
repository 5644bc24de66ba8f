"""JSON to place inside a <script> element (map data, the plan's data, JSON-LD)."""
from __future__ import annotations

import json


def json_for_script(value, indent: int | None = None) -> str:
    """JSON text that cannot end or confuse the <script> element it is placed in.

    "</script>" and "<!--" need "<", so <, > and & are \\u-escaped (still the same JSON);
    U+2028/U+2029 are escaped for older JavaScript parsers.
    """
    separators = (",", ":") if indent is None else (",", ": ")
    raw = json.dumps(value, ensure_ascii=False, indent=indent, separators=separators)
    return (raw.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
               .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
