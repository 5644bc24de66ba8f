"""Static files under content-hashed names, so browsers keep them for a year.

`map.js` is published as `map.1a2b3c4d5e6f.js`: a change to the file changes its name,
so every page that links the new name fetches the new file, and an unchanged file is
never asked for again (`Cache-Control: immutable`). Stylesheets are rewritten so that
the images and fonts they name are linked by their hashed names too, as Django's
ManifestStaticFilesStorage does. Files are read once, when the app is created.

No Flask here: `Manifest.build(folder)` takes a folder and returns plain values.
"""
from __future__ import annotations

import hashlib
import mimetypes
import posixpath
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

HASH_LENGTH = 12
# url(...) in a stylesheet; data: and absolute URLs are left alone.
CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+?)\1\s*\)""")


@dataclass(frozen=True)
class Asset:
    """One static file as served: its bytes (stylesheets after rewriting) and validator."""

    path: str          # the original name below the static folder, "vendor/leaflet/leaflet.js"
    hashed: str        # the published name, "vendor/leaflet/leaflet.0f1e2d3c4b5a.js"
    body: bytes
    mimetype: str
    digest: str        # the hash in `hashed`: also the file's ETag


def _digest(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()[:HASH_LENGTH]


def hashed_name(path: str, digest: str) -> str:
    """`dir/name.<digest>.ext` for `dir/name.ext` (no suffix: `name.<digest>`)."""
    folder, name = posixpath.split(path)
    stem, dot, suffix = name.rpartition(".")
    renamed = f"{stem}.{digest}.{suffix}" if dot and stem else f"{name}.{digest}"
    return posixpath.join(folder, renamed)


def _asset(path: str, body: bytes, mimetype: str) -> Asset:
    digest = _digest(body)
    return Asset(path, hashed_name(path, digest), body, mimetype, digest)


def _mimetype(path: str) -> str:
    guessed = mimetypes.guess_type(path)[0] or "application/octet-stream"
    return "text/javascript" if guessed == "application/javascript" else guessed


def _rewrite_css(path: str, text: str, names: Mapping[str, str]) -> str:
    """Point a stylesheet's relative url(...) at the hashed names of the files they name."""
    folder = posixpath.dirname(path)

    def hashed(match: re.Match) -> str:
        quote, target = match.group(1), match.group(2).strip()
        if re.match(r"^([a-z]+:|/|#)", target, re.IGNORECASE):
            return match.group(0)
        clean, _, tail = target.partition("?")
        clean, _, fragment = clean.partition("#")
        resolved = posixpath.normpath(posixpath.join(folder, clean))
        if resolved not in names:
            return match.group(0)
        relative = posixpath.relpath(names[resolved], folder or ".")
        suffix = ("#" + fragment) if fragment else ""
        return f"url({quote}{relative}{suffix}{quote})"

    return CSS_URL.sub(hashed, text)


@dataclass(frozen=True)
class Manifest:
    """Every file of a static folder, by original and by hashed name."""

    by_path: Mapping[str, Asset]
    by_hashed: Mapping[str, Asset]

    @classmethod
    def build(cls, folder: str | Path) -> Manifest:
        """Read every file below `folder` (once); stylesheets last, as they name the others."""
        root = Path(folder)
        files = sorted(p for p in root.rglob("*") if p.is_file())
        raw = {p.relative_to(root).as_posix(): p.read_bytes() for p in files}
        names: dict[str, str] = {}
        assets: dict[str, Asset] = {}
        for path, body in raw.items():
            if not path.endswith(".css"):
                assets[path] = _asset(path, body, _mimetype(path))
                names[path] = assets[path].hashed
        for path, body in raw.items():
            if path.endswith(".css"):
                rewritten = _rewrite_css(path, body.decode("utf-8"), names).encode("utf-8")
                assets[path] = _asset(path, rewritten, "text/css")
        return cls(MappingProxyType(assets),
                   MappingProxyType({a.hashed: a for a in assets.values()}))

    def url_name(self, path: str) -> str:
        """The name to link for `path` (the path itself when it is not a static file)."""
        asset = self.by_path.get(path)
        return asset.hashed if asset else path

    def find(self, name: str) -> tuple[Asset, bool] | None:
        """The asset published as `name` and whether `name` is its hashed (immutable) name."""
        if name in self.by_hashed:
            return self.by_hashed[name], True
        if name in self.by_path:
            return self.by_path[name], False
        return None
