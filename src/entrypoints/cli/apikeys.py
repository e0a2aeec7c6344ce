"""`ecomsearch apikey create --scope S [--scope S] [--description D] [--expires-in-days N]
[--rate-limit N]`, `apikey list [--all]`, `apikey revoke ID`. The secret is printed once, alone on
stdout, so `KEY=$(ecomsearch apikey create ...)` keeps it; what else is said goes to stderr."""

import argparse
import sys
from datetime import UTC, datetime, timedelta
from typing import Any

from domain.apikeys.errors import ApiKeyNotFound
from domain.apikeys.model import SCOPES, ApiKey
from domain.errors import InvalidValue
from entrypoints.cli.actor import cli_actor
from entrypoints.container import build_container, close_container
from entrypoints.settings import load_settings


def add_apikey_commands(commands: Any) -> None:
    keys = commands.add_parser("apikey", help="API keys for the shop's own systems").add_subparsers(
        dest="action", required=True
    )
    create = keys.add_parser("create", help="create a key and print its secret (shown this once)")
    create.add_argument("--scope", action="append", required=True, choices=SCOPES, dest="scopes")
    create.add_argument("--description", default="")
    create.add_argument("--expires-in-days", type=int, default=None)
    create.add_argument("--rate-limit", type=int, default=None, help="requests a minute (0: none)")
    create.set_defaults(run=create_key_command)
    listing = keys.add_parser("list", help="the keys, newest first (never their secrets)")
    listing.add_argument("--all", action="store_true", help="revoked keys too")
    listing.set_defaults(run=list_keys_command)
    revoke = keys.add_parser("revoke", help="revoke a key by id: it stops working at once")
    revoke.add_argument("id", type=int)
    revoke.set_defaults(run=revoke_key_command)


async def create_key_command(args: argparse.Namespace) -> int:
    if args.expires_in_days is not None and args.expires_in_days < 1:
        print("error: --expires-in-days must be at least 1", file=sys.stderr)
        return 2
    expires = None
    if args.expires_in_days is not None:
        expires = datetime.now(UTC) + timedelta(days=args.expires_in_days)
    container = build_container(load_settings())
    try:
        created = await container.create_api_key()(
            description=args.description,
            scopes=args.scopes,
            expires_at=expires,
            rate_limit=args.rate_limit,
            actor=cli_actor(),
        )
    except InvalidValue as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        await close_container(container)
    print(
        f"created key {created.key.id} ({created.key.prefix}); its secret is shown only now:", file=sys.stderr
    )
    print(created.secret)
    return 0


def _line(key: ApiKey) -> str:
    def when(at: datetime | None) -> str:
        return at.isoformat(timespec="seconds") if at else "-"

    state = "revoked" if key.revoked_at else "active"
    fields = [str(key.id), key.prefix, ",".join(key.scopes), state, when(key.created_at)]
    fields += [when(key.last_used_at), when(key.expires_at), key.description or "-"]
    return "\t".join(fields)


async def list_keys_command(args: argparse.Namespace) -> int:
    container = build_container(load_settings())
    try:
        keys = await container.list_api_keys()(actor=cli_actor(), include_revoked=args.all)
    finally:
        await close_container(container)
    print("id\tprefix\tscopes\tstate\tcreated_at\tlast_used_at\texpires_at\tdescription")
    for key in keys:
        print(_line(key))
    return 0


async def revoke_key_command(args: argparse.Namespace) -> int:
    container = build_container(load_settings())
    try:
        key = await container.revoke_api_key()(args.id, actor=cli_actor())
    except ApiKeyNotFound as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    finally:
        await close_container(container)
    print(f"key {key.id} ({key.prefix}) is revoked")
    return 0
