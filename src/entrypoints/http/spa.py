"""The shop's single-page app, served from its built files (`web/dist`) at `/`.

Unknown paths outside the API fall back to `index.html`, so the app's own URLs survive a reload.
API-like paths never do: an unknown `/api/...` stays a JSON 404. When the bundle is not built the
API still runs and `/` says how to build it.
"""

import mimetypes
import os
from pathlib import Path
from typing import Any

from litestar import Response, get
from litestar.handlers import HTTPRouteHandler
from litestar.params import FromPath
from litestar.response import File

from entrypoints.http.errors import error_response
from entrypoints.http.key_access import OPEN, scope

DEFAULT_DIST = Path(__file__).resolve().parents[3] / "web" / "dist"
# Paths the app never owns: an unknown one is a real 404, not the index page.
_NOT_SPA = ("api", "schema", "health", "ready")


def web_dist_dir() -> Path:
    return Path(os.environ.get("WEB_DIST_DIR") or DEFAULT_DIST)


def _served_file(dist: Path, path: str) -> Path | None:
    if not path:
        return None
    candidate = (dist / path).resolve()
    inside = candidate.is_relative_to(dist.resolve())
    return candidate if inside and candidate.is_file() else None


def spa_handlers(dist: Path) -> list[HTTPRouteHandler]:
    def answer(path: str) -> Response[Any]:
        first = path.strip("/").split("/", 1)[0]
        if first in _NOT_SPA:
            return error_response(404, "not_found", f"no such resource: /{path.strip('/')}")
        found = _served_file(dist, path.strip("/"))
        if found is not None:
            # Vite names built assets by content hash, so they never change under the same name.
            immutable = found.parent.name == "assets"
            cache = "public, max-age=31536000, immutable" if immutable else "no-cache"
            media_type = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
            return File(
                found,
                media_type=media_type,
                content_disposition_type="inline",
                headers={"Cache-Control": cache},
            )
        if first == "assets":  # a missing script must not come back as HTML
            return error_response(404, "not_found", f"no such asset: /{path.strip('/')}")
        index = dist / "index.html"
        if not index.is_file():
            return error_response(
                404, "web_app_not_built", "the web app is not built: run `make web` (or `make run`)"
            )
        return File(
            index,
            media_type="text/html",
            content_disposition_type="inline",
            headers={"Cache-Control": "no-cache"},
        )

    @get("/", include_in_schema=False, sync_to_thread=False, opt=scope(OPEN))
    def index() -> Response[Any]:
        return answer("")

    @get("/{path:path}", include_in_schema=False, sync_to_thread=False, opt=scope(OPEN))
    def anything(path: FromPath[str]) -> Response[Any]:
        return answer(path)

    return [index, anything]
