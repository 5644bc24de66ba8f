"""Which in-app browser a page is open in, read from the User-Agent (no Flask).

Inside WeChat (and QQ, Weibo, Alipay, DingTalk, Douyin…) a page opens in the app's own
web view, which will not hand a webcal: link to the phone's calendar app (Amap's URI
docs warn the same for its app links). There the subscribe page first says how to open
it in the system browser. The same pattern runs in the browser (static/share.js reads it
from the page), so a cached or statically exported page reaches the same answer.
"""
from __future__ import annotations

import re

# (app key, User-Agent token). Tokens are those the apps put in their web views' UA:
# WeChat "MicroMessenger/8.0.x", WeCom "wxwork/", QQ " QQ/9.x" (not the QQ Browser app,
# "MQQBrowser", which is a system-style browser that can open other apps), Weibo
# "Weibo (…)" / "__weibo__", Alipay "AlipayClient/", DingTalk "DingTalk/", Douyin
# "aweme", Facebook "FBAN/FBAV", Instagram "Instagram", LINE " Line/".
TOKENS = (
    ("wechat", r"MicroMessenger"),
    ("wecom", r"wxwork"),
    ("qq", r"\sQQ/"),
    ("weibo", r"Weibo"),
    ("alipay", r"AlipayClient"),
    ("dingtalk", r"DingTalk"),
    ("douyin", r"aweme"),
    ("facebook", r"FBA[NV]/"),
    ("instagram", r"Instagram"),
    ("line", r"\sLine/"),
)
# One alternation, written so that Python's re and JavaScript's RegExp read it alike.
PATTERN = "|".join(token for _, token in TOKENS)
_ANY = re.compile(PATTERN, re.IGNORECASE)
_EACH = [(app, re.compile(token, re.IGNORECASE)) for app, token in TOKENS]


def in_app_browser(user_agent: str | None) -> str | None:
    """The in-app browser's key ("wechat", …) or None for an ordinary browser."""
    if not user_agent or not _ANY.search(user_agent):
        return None
    return next(app for app, token in _EACH if token.search(user_agent))
