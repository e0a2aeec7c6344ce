"""The `ecomsearch` console script."""

import argparse
import asyncio
import sys
from collections.abc import Sequence

from entrypoints.cli.analytics import add_analytics_command
from entrypoints.cli.apikeys import add_apikey_commands
from entrypoints.cli.audit import add_audit_command
from entrypoints.cli.catalog import import_catalog_command
from entrypoints.cli.db import upgrade_command
from entrypoints.cli.demo import demo_catalog_command, demo_judgments_command, demo_seed_command
from entrypoints.cli.evaluate import add_eval_commands
from entrypoints.cli.jobs import archive_command, cluster_command, train_command, worker_command
from entrypoints.cli.serve import serve_command
from entrypoints.cli.simulate import demo_simulate_command
from entrypoints.cli.synonyms import add_synonym_commands
from entrypoints.cli.user import create_admin_command, list_users_command, revoke_admin_command


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ecomsearch", description="Personalized product search.")
    commands = parser.add_subparsers(dest="command", required=True)

    db = commands.add_parser("db", help="database schema").add_subparsers(dest="action", required=True)
    upgrade = db.add_parser("upgrade", help="apply migrations to DATABASE_URL")
    upgrade.add_argument("revision", nargs="?", default="head")
    upgrade.set_defaults(run=upgrade_command)

    catalog = commands.add_parser("catalog", help="the product catalog").add_subparsers(
        dest="action", required=True
    )
    load = catalog.add_parser("import", help="load products from .csv or .jsonl (upsert by sku)")
    load.add_argument("file")
    load.add_argument("--quiet", action="store_true", help="no progress bar")
    load.set_defaults(run=import_catalog_command)

    demo = commands.add_parser("demo", help="the demo shop").add_subparsers(dest="action", required=True)
    seed = demo.add_parser("seed", help="fill an empty database with the demo catalog")
    seed.add_argument("--products", type=int, default=None, help="catalog size (default 5,000)")
    seed.add_argument("--seed", type=int, default=42)
    seed.add_argument("--shoppers", type=int, default=1000, help="simulated shopper accounts (0: none)")
    seed.add_argument("--sessions", type=int, default=5, help="sessions per shopper")
    seed.add_argument("--days", type=int, default=21, help="traffic spread over this many past days")
    seed.set_defaults(run=demo_seed_command)
    write = demo.add_parser("catalog", help="write a generated catalog file (.jsonl or .csv)")
    write.add_argument("file")
    write.add_argument("--products", type=int, default=5000)
    write.add_argument("--seed", type=int, default=42)
    write.set_defaults(run=demo_catalog_command)
    judge = demo.add_parser("judgments", help="write graded judgments (TSV) for the demo catalog")
    judge.add_argument("file")
    judge.add_argument("--products", type=int, default=5000, help="size of the judged demo catalog")
    judge.add_argument("--seed", type=int, default=42, help="the catalog's seed")
    judge.add_argument(
        "--segment", default=None, help="grade by a shopper segment's hidden tastes instead of attributes"
    )
    judge.set_defaults(run=demo_judgments_command)

    simulate = demo.add_parser("simulate", help="simulated shoppers searching, clicking and buying")
    simulate.add_argument("--shoppers", type=int, default=1000)
    simulate.add_argument("--sessions", type=int, default=5, help="sessions per shopper")
    simulate.add_argument("--days", type=float, default=21, help="spread over this many past days")
    simulate.add_argument("--seed", type=int, default=42)
    simulate.set_defaults(run=demo_simulate_command)

    add_eval_commands(commands)
    add_synonym_commands(commands)
    add_apikey_commands(commands)

    user = commands.add_parser("user", help="accounts").add_subparsers(dest="action", required=True)
    admin = user.add_parser("create-admin", help="make an existing user an administrator")
    admin.add_argument("username")
    admin.set_defaults(run=create_admin_command)
    revoke = user.add_parser("revoke-admin", help="take administrator rights away, effective at once")
    revoke.add_argument("username")
    revoke.set_defaults(run=revoke_admin_command)
    listing = user.add_parser("list", help="users (username, email), one a line, by username")
    listing.add_argument("--admins", action="store_true", help="administrators only")
    listing.set_defaults(run=list_users_command)

    serve = commands.add_parser("serve", help="run the HTTP server")
    serve.add_argument("--host", default=None)
    serve.add_argument("--port", type=int, default=None)
    serve.add_argument("--workers", type=int, default=1)
    serve.set_defaults(run=serve_command)

    commands.add_parser("worker", help="run the SAQ worker (needs REDIS_URL)").set_defaults(
        run=worker_command
    )
    commands.add_parser("train", help="retrain the ranker now").set_defaults(run=train_command)
    commands.add_parser("cluster", help="recluster shoppers now").set_defaults(run=cluster_command)
    add_analytics_command(commands)
    add_audit_command(commands)
    commands.add_parser(
        "archive", help="move events and impressions older than EVENT_RETENTION_DAYS to the archive now"
    ).set_defaults(run=archive_command)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    result = args.run(args)
    if asyncio.iscoroutine(result):
        result = asyncio.run(result)
    return int(result or 0)


if __name__ == "__main__":
    sys.exit(main())
