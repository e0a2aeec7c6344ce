import argparse
import logging
import signal
import sys
from types import FrameType

import uvicorn

from entrypoints.cli.exposure import check_exposure
from entrypoints.logs import configure_logging
from entrypoints.settings import Settings, load_settings

log = logging.getLogger("ecomsearch.serve")


def _stop_requested(signum: int, frame: FrameType | None) -> None:
    """SIGTERM is how an orchestrator asks for a stop: uvicorn handles it while it serves (stops
    accepting, lets requests in flight finish, runs the app's shutdown), then raises it again to
    this, the previous handler. The stop was asked for and done, so the exit is 0, not -15."""
    raise SystemExit(0)


def serve_command(args: argparse.Namespace) -> int:
    settings = load_settings()
    configure_logging(settings.log_level, settings.log_format)
    host = args.host or settings.host
    exposure = check_exposure(settings, host)
    for warning in exposure.warnings:
        print(f"WARNING: {warning}", file=sys.stderr)
    if exposure.refusal is not None:
        print(f"error: {exposure.refusal}", file=sys.stderr)
        return 2
    if args.workers > 1 and not settings.redis_url:
        # The in-process cache is per process: only the writing process sees its own edits at once.
        log.warning(
            "%d workers without REDIS_URL: each keeps its own cache, so an edit reaches the other "
            "workers' cached answers and counts within SEARCH_RESULT_TTL / SEARCH_COUNTS_TTL; "
            "set REDIS_URL to share it",
            args.workers,
        )
    previous = signal.signal(signal.SIGTERM, _stop_requested)
    try:
        _run(settings, host, args)
    finally:
        signal.signal(signal.SIGTERM, previous)
    return 0


def _run(settings: Settings, host: str, args: argparse.Namespace) -> None:
    uvicorn.run(
        "entrypoints.http.app:app_factory",
        factory=True,
        host=host,
        port=args.port or settings.port,
        workers=args.workers,
        log_level=settings.log_level.lower(),
        # Logging is the app's (entrypoints/logs.py, in each worker process too); its access line
        # (ecomsearch.access) carries the route, status, duration and request id, so uvicorn's is off.
        log_config=None,
        access_log=False,
        # On SIGTERM: stop accepting, give requests in flight this long, then the app's shutdown
        # (pending event batches written, pools closed) runs before the exit.
        timeout_graceful_shutdown=settings.shutdown_grace_seconds or None,
        proxy_headers=False,
    )
