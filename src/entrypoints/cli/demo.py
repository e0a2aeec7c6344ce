"""`ecomsearch demo seed` and `ecomsearch demo catalog FILE`."""

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path

from tqdm import tqdm

from application.catalog.import_catalog import ImportItem
from domain.evaluation.judgments import format_judgments
from entrypoints.cli.simulate import print_simulation, run_simulation
from entrypoints.container import build_container, close_container
from entrypoints.settings import load_settings, unbounded_statements
from simulation.catalog.generator import (
    DEMO_CATALOG_SIZE,
    generate_catalog,
    generate_with_truth,
    write_catalog,
)
from simulation.judgments import demo_judgments, judgments_from_tastes


def _numbered(count: int, seed: int) -> Iterator[ImportItem]:
    yield from enumerate(generate_catalog(count, seed), start=1)


async def demo_seed_command(args: argparse.Namespace) -> int:
    count = args.products or DEMO_CATALOG_SIZE
    settings = unbounded_statements(load_settings())
    container = build_container(settings)
    try:
        existing = await container.products().count()
        if existing:
            print(f"the database already holds {existing} products; the demo shop is not seeded again")
            return 0
        with tqdm(total=count, desc="seeding demo catalog", unit=" products", file=sys.stderr) as bar:
            report = await container.import_catalog()(_numbered(count, args.seed), progress=bar.update)
        print(f"demo shop seeded: {report.inserted} products")
        if report.rejected:
            return 1
    finally:
        await close_container(container)
    if args.shoppers > 0:
        traffic = await run_simulation(
            settings, shoppers=args.shoppers, sessions=args.sessions, days=args.days, seed=args.seed
        )
        print_simulation(traffic)
    return 0


def demo_catalog_command(args: argparse.Namespace) -> int:
    written = write_catalog(Path(args.file), args.products, args.seed)
    print(f"wrote {written} products to {args.file}")
    return 0


def demo_judgments_command(args: argparse.Namespace) -> int:
    if args.segment is None:
        judgments = demo_judgments(args.products, args.seed)
    else:
        truths = [truth for _, truth in generate_with_truth(args.products, args.seed)]
        try:
            judgments = judgments_from_tastes(truths, args.segment)
        except ValueError as exc:
            print(str(exc), file=sys.stderr)
            return 2
    Path(args.file).write_text(format_judgments(judgments), encoding="utf-8")
    lines = sum(len(graded) for graded in judgments.values())
    print(f"wrote {len(judgments)} queries ({lines} judged products) to {args.file}")
    return 0
