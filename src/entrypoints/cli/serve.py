import argparse

import uvicorn

from entrypoints.settings import load_settings


def serve_command(args: argparse.Namespace) -> int:
    settings = load_settings()
    uvicorn.run(
        "entrypoints.http.app:app_factory",
        factory=True,
        host=args.host or settings.host,
        port=args.port or settings.port,
        workers=args.workers,
        log_level=settings.log_level.lower(),
        proxy_headers=False,
    )
    return 0
