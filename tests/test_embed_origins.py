"""meta.embed_origins: the sites that may frame /embed/… pages, checked like every field."""
from __future__ import annotations

import pytest

from canal.loader import LoadError, parse
from test_loader import VALID_HEAD


def with_origins(line: str) -> str:
    return VALID_HEAD.replace('base_url = "https://canal.test"\n',
                              'base_url = "https://canal.test"\n' + line + "\n", 1)


def problems_of(text: str) -> list[str]:
    with pytest.raises(LoadError) as caught:
        parse(text, "events.toml")
    return [str(p) for p in caught.value.problems]


def test_valid_origins_are_kept_in_order():
    text = with_origins('embed_origins = ["https://www.xianghe.gov.cn", "http://127.0.0.1:8123", '
                        '"https://www.bjtzh.gov.cn"]')
    meta = parse(text, "events.toml").meta
    assert meta.embed_origins == ("https://www.xianghe.gov.cn", "http://127.0.0.1:8123",
                                  "https://www.bjtzh.gov.cn")


def test_no_origins_means_only_our_own_pages():
    assert parse(VALID_HEAD, "events.toml").meta.embed_origins == ()


def test_every_bad_origin_is_reported_on_its_own_line():
    text = with_origins('\n'.join([
        'embed_origins = [',
        '  "https://www.xianghe.gov.cn/events/",',
        '  "https://WWW.Wuqing.gov.cn",',
        '  "https://www.xianghe.gov.cn:443",',
        '  "www.langfang.gov.cn",',
        '  42,',
        '  "https://ok.example.cn",',
        '  "https://ok.example.cn",',
        '  "https://a.example.cn; script-src *",',
        ']',
    ]))
    assert problems_of(text) == [
        # An item that is not text cannot be found by its quotes: the key's line.
        "events.toml:5: meta.embed_origins: entry 5: expected text such as \"https://www.xianghe.gov.cn\", "
        "got a number",
        "events.toml:6: meta.embed_origins: entry 1: 'https://www.xianghe.gov.cn/events/' is a page "
        "address: write only the origin https://www.xianghe.gov.cn (scheme, host and port, no path)",
        "events.toml:7: meta.embed_origins: entry 2: 'https://WWW.Wuqing.gov.cn' has capital letters: "
        "write it as https://www.wuqing.gov.cn",
        "events.toml:8: meta.embed_origins: entry 3: 'https://www.xianghe.gov.cn:443' has the port 443: "
        "write https://www.xianghe.gov.cn (browsers leave out the default port, and a port must be 1 to 65535)",
        "events.toml:9: meta.embed_origins: entry 4: 'www.langfang.gov.cn' is not a web origin: expected "
        "http(s)://host or http(s)://host:port, such as https://www.xianghe.gov.cn, or \"*\" for any site",
        "events.toml:12: meta.embed_origins: entry 7: 'https://ok.example.cn' is listed twice",
        "events.toml:13: meta.embed_origins: entry 8: 'https://a.example.cn; script-src *' is not a web "
        "origin: expected http(s)://host or http(s)://host:port, such as https://www.xianghe.gov.cn, "
        "or \"*\" for any site",
    ]


def test_a_port_out_of_range_is_refused():
    assert problems_of(with_origins('embed_origins = ["http://127.0.0.1:70000"]')) == [
        "events.toml:5: meta.embed_origins: entry 1: 'http://127.0.0.1:70000' has the port 70000: "
        "write http://127.0.0.1 (browsers leave out the default port, and a port must be 1 to 65535)",
    ]


def test_a_single_text_instead_of_a_list_is_refused():
    assert problems_of(with_origins('embed_origins = "https://www.xianghe.gov.cn"')) == [
        "events.toml:5: meta.embed_origins: expected a list of web origins such as "
        "[\"https://www.xianghe.gov.cn\"], got text",
    ]


def test_star_lets_any_site_frame_the_embeds():
    meta = parse(with_origins('embed_origins = ["*"]'), "events.toml").meta
    assert meta.embed_origins == ("*",)
