"""Every outbound HTTP request of the product goes through config.fetch: no other product module
imports an HTTP client or calls a library's own downloader."""

from __future__ import annotations

import ast
from pathlib import Path

from django.conf import settings

HTTP_CLIENTS = {"requests", "urllib3", "httpx", "aiohttp", "pycurl", "http.client"}
HTTP_CLIENTS |= {"urllib.request", "trafilatura.downloads", "extruct.tool"}
DOWNLOADERS = {"urlopen", "fetch_url", "fetch_response", "urlretrieve"}
THE_WAY_OUT = Path("config") / "fetch.py"


def _product_modules() -> list[Path]:
    root = Path(settings.BASE_DIR)
    return [
        path.relative_to(root)
        for app in ("claims", "verification", "config")
        for path in sorted((root / app).rglob("*.py"))
        if "migrations" not in path.parts
    ]


def _outbound(path: Path) -> list[str]:
    tree = ast.parse((Path(settings.BASE_DIR) / path).read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            names = [module] + [f"{module}.{alias.name}" for alias in node.names]
            names += [alias.name for alias in node.names if alias.name in DOWNLOADERS]
        elif isinstance(node, ast.Attribute) and node.attr in DOWNLOADERS:
            names = [node.attr]
        else:
            continue
        found += [
            f"{path}:{node.lineno} {name}"
            for name in names
            if name in DOWNLOADERS or name.split(".")[0] in HTTP_CLIENTS or name in HTTP_CLIENTS
        ]
    return found


def test_only_config_fetch_talks_http():
    modules = _product_modules()
    assert THE_WAY_OUT in modules and len(modules) > 50
    outbound = [line for path in modules if path != THE_WAY_OUT for line in _outbound(path)]
    assert outbound == []


def test_the_check_finds_an_http_client_where_there_is_one():
    assert _outbound(THE_WAY_OUT)  # config.fetch itself imports requests and urllib3
