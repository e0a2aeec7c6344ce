"""`ecomsearch audit [--limit N]`: the administrators' audit log as a table, newest first."""

import argparse
import json
import sys
from typing import Any

from application.audit.audit_trail import MAX_AUDIT_LISTED
from domain.audit.model import AuditEntry
from domain.errors import InvalidValue
from entrypoints.cli.analytics import table
from entrypoints.container import build_container, close_container
from entrypoints.settings import load_settings

HEADERS = ("at", "actor", "action", "target", "address", "details")


def add_audit_command(commands: Any) -> None:
    audit = commands.add_parser("audit", help="print the administrators' audit log, newest first")
    audit.add_argument("--limit", type=int, default=50, help=f"entries shown (1 to {MAX_AUDIT_LISTED})")
    audit.set_defaults(run=audit_command)


def render(entries: list[AuditEntry]) -> str:
    rows = [
        (
            entry.at.isoformat(timespec="seconds"),
            entry.actor,
            entry.action,
            entry.target,
            entry.address,
            json.dumps(entry.details, sort_keys=True) if entry.details else "",
        )
        for entry in entries
    ]
    return table(HEADERS, rows)


async def audit_command(args: argparse.Namespace) -> int:
    container = build_container(load_settings())
    try:
        entries = await container.read_audit_log()(args.limit)
    except InvalidValue as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        await close_container(container)
    print(render(entries))
    return 0
