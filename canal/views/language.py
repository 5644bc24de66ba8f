"""Chinese at the root, English under /en: one endpoint per page, two URL rules.

`localized(bp, rule)` registers `rule` for Chinese and `/en` + `rule` for English
on the same endpoint, told apart by a `lang` default. Views never see `lang`;
it lives in `g.lang`, and `url_for` keeps the current language unless told otherwise.
"""
from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from flask import Blueprint, Flask, current_app, g, request

from .. import text as words
from ..links import ENGLISH_PREFIX
from .current import catalog, page_path


def localized(bp: Blueprint, rule: str, **options) -> Callable:
    """Decorator: route `rule` in Chinese and `/en<rule>` in English."""
    def register(view: Callable) -> Callable:
        endpoint = options.pop("endpoint", view.__name__)
        bp.add_url_rule(rule, endpoint, view, defaults={"lang": "zh"}, **options)
        bp.add_url_rule(ENGLISH_PREFIX + rule, endpoint, view, defaults={"lang": "en"}, **options)
        return view
    return register


def current_lang() -> str:
    return g.get("lang", "zh")


def current_locale() -> str:
    """Flask-Babel's locale selector."""
    return "en" if current_lang() == "en" else "zh"


def _pull_lang(endpoint: str | None, values: dict | None) -> None:
    if values is not None and "lang" in values:
        g.lang = values.pop("lang")


def _push_lang(endpoint: str, values: dict) -> None:
    if "lang" not in values and current_app.url_map.is_endpoint_expecting(endpoint, "lang"):
        values["lang"] = current_lang()


def switch_url(lang: str) -> str:
    """This page in the other language (same path and query)."""
    path = request.path
    if path == ENGLISH_PREFIX or path.startswith(ENGLISH_PREFIX + "/"):
        path = path[len(ENGLISH_PREFIX):] or "/"
    if lang == "en":
        path = ENGLISH_PREFIX + path
    # Only the parameters that make the page (its declared ones): a cached page must not
    # carry the first visitor's junk parameters into every later visitor's language link.
    from .http import page_parameters
    kept = page_parameters()
    pairs = [(name, value) for name, value in request.args.items(multi=True) if name in kept]
    return path + ("?" + urlencode(pairs) if pairs else "")


def init_app(app: Flask) -> None:
    app.url_value_preprocessor(_pull_lang)
    app.url_defaults(_push_lang)

    @app.before_request
    def _lang_for_unrouted_paths() -> None:
        # 404 pages and the like have no `lang` value: infer it from the path.
        if "lang" not in g:
            g.lang = "en" if request.path.startswith(ENGLISH_PREFIX + "/") else "zh"

    @app.context_processor
    def _language_context() -> dict:
        lang = current_lang()
        return {
            "lang": lang,
            "other_lang": "zh" if lang == "en" else "en",
            "switch_url": switch_url,
            "page_path": page_path,
            "colon": words.punctuation(lang)["colon"],
            "comma": words.punctuation(lang)["comma"],
            "catalog": catalog(),
            "t": lambda text: text.get(lang) if text is not None else "",
            "when": lambda occurrence, form="full": words.when(occurrence, lang, form),
            "day": lambda value, form="full": words.day(value, lang, form),
            "day_range": lambda first, last: words.day_range(first, last, lang),
        }
