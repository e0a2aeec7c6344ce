"""`ecomsearch synonyms import FILE`, `synonyms list`, `synonyms learn`."""

import argparse
import sys
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

from adapters.files.synonym_file import format_synonym, read_synonyms
from domain.errors import InvalidValue
from domain.search.synonyms import Synonym
from entrypoints.cli.actor import cli_actor
from entrypoints.container import build_container, close_container
from entrypoints.settings import load_settings


def add_synonym_commands(commands: Any) -> None:
    synonyms = commands.add_parser("synonyms", help="the shop's synonyms").add_subparsers(
        dest="action", required=True
    )
    load = synonyms.add_parser("import", help="add the synonyms of a Solr/Elasticsearch synonym file")
    load.add_argument("file")
    load.set_defaults(run=import_synonyms_command)
    synonyms.add_parser("list", help="every synonym, one a line, in the file format").set_defaults(
        run=list_synonyms_command
    )
    synonyms.add_parser(
        "learn", help="find synonyms in the search log now and list those waiting for review"
    ).set_defaults(run=learn_synonyms_command)


def import_synonyms_command(args: argparse.Namespace) -> int | Coroutine[Any, Any, int]:
    """Exits 0 when every line was read, 1 when some were rejected, 2 when the file cannot be read."""
    try:
        text = Path(args.file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"error: cannot read {args.file}: {exc}", file=sys.stderr)
        return 2
    found, rejected = read_synonyms(text.splitlines())
    for reject in rejected:
        print(f"line {reject.line}: {reject.reason}", file=sys.stderr)
    return _add(found, len(rejected))


async def _add(found: list[Synonym], rejected: int) -> int:
    container = build_container(load_settings())
    try:
        added = await container.add_synonyms()(found, actor=cli_actor())
    except InvalidValue as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    finally:
        await close_container(container)
    print(
        f"{len(found)} synonyms read: {len(added)} added, {len(found) - len(added)} already there; "
        f"{rejected} lines rejected"
    )
    return 1 if rejected else 0


async def list_synonyms_command(args: argparse.Namespace) -> int:
    container = build_container(load_settings())
    try:
        listed = await container.list_synonyms()()
    finally:
        await close_container(container)
    for synonym in listed:
        print(f"{synonym.id}\t{format_synonym(synonym)}")
    return 0


async def learn_synonyms_command(args: argparse.Namespace) -> int:
    container = build_container(load_settings())
    try:
        found = await container.learn_synonyms()()
        pending = await container.review_suggestions().pending()
    finally:
        await close_container(container)
    print(f"{len(found)} pairs found in the log; waiting for review (support, lift):")
    for s in pending:
        print(f"{s.id}\t{s.source} => {s.target}\t{s.support}\t{s.lift:.2f}")
    return 0
