#!/usr/bin/env python3
"""Write a complete nginx configuration for the site from deploy/nginx.conf.

    python3 deploy/render_nginx.py --run /var/lib/canal-nginx --listen 80 \
        --upstream unix:/run/canal/gunicorn.sock --root /srv/canal

creates RUN/nginx.conf, RUN/proxy_params.conf and the temp/cache folders; start it with
`nginx -p RUN -c RUN/nginx.conf`. Only the standard library, so it runs before the venv.
"""
from __future__ import annotations

import argparse
import getpass
import os
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
FIELD = re.compile(r"\{\{(\w+)\}\}")


def render(text: str, values: dict[str, str]) -> str:
    missing = set(FIELD.findall(text)) - set(values)
    if missing:
        raise SystemExit(f"render_nginx: no value for {', '.join(sorted(missing))}")
    return FIELD.sub(lambda m: values[m.group(1)], text)


def write(run: Path, listen: str, upstream: str, root: Path, server_name: str = "_",
          mount: str = "", cache_seconds: int = 5, user: str | None = None,
          access_log: str | None = None) -> Path:
    """Render both files into `run`; returns the path of nginx.conf."""
    if mount and not re.fullmatch(r"(/[A-Za-z0-9._~-]+)+", mount):
        raise SystemExit(f"render_nginx: --mount {mount!r} must look like /canal")
    if not re.fullmatch(r"[\w.:\[\]/-]+", upstream) or not re.fullmatch(r"[\w.:\[\] -]+", listen):
        raise SystemExit("render_nginx: --listen and --upstream take host:port or unix:/path")
    run = run.resolve()
    for sub in ("tmp/body", "tmp/proxy", "tmp/fastcgi", "tmp/uwsgi", "tmp/scgi", "cache"):
        (run / sub).mkdir(parents=True, exist_ok=True)
    if user is None and os.geteuid() == 0:
        user = getpass.getuser()  # workers as the user that owns RUN, not nobody
    values = {
        "run": str(run), "listen": listen, "upstream": upstream, "root": str(root.resolve()),
        "server_name": server_name, "mount": mount, "cache_seconds": str(cache_seconds),
        # With a mount, nginx passes the path below it; the app learns the prefix from
        # X-Forwarded-Prefix. At the root the path goes through as it is.
        "strip": "/" if mount else "",
        "user_line": f"user {user};" if user else "# (not root: workers run as this user)",
        "access_log": access_log or f"{run}/access.log",
    }
    (run / "proxy_params.conf").write_text(render((HERE / "proxy_params.conf").read_text(), values))
    conf = run / "nginx.conf"
    conf.write_text(render((HERE / "nginx.conf").read_text(), values))
    return conf


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--run", required=True, help="folder for the rendered config, pid, logs, cache")
    parser.add_argument("--listen", default="127.0.0.1:8080", help="nginx's address (e.g. 80, [::]:80)")
    parser.add_argument("--upstream", required=True, help="gunicorn: unix:/path.sock or 127.0.0.1:PORT")
    parser.add_argument("--root", default=str(HERE.parent), help="the site's folder (static/ inside)")
    parser.add_argument("--server-name", default="_")
    parser.add_argument("--mount", default="", help="serve below a path, e.g. /canal")
    parser.add_argument("--cache-seconds", type=int, default=5)
    parser.add_argument("--user", default=None, help="nginx worker user (when started as root)")
    parser.add_argument("--access-log", default=None, help="default RUN/access.log; 'off' for none")
    args = parser.parse_args(argv)
    conf = write(Path(args.run), args.listen, args.upstream, Path(args.root), args.server_name,
                 args.mount, args.cache_seconds, args.user, args.access_log)
    print(conf)


if __name__ == "__main__":
    main(sys.argv[1:])
