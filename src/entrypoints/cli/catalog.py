"""`ecomsearch catalog import FILE`: exit 0 when every row loaded, 1 when some were rejected, 2 when none could be read."""

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path

from tqdm import tqdm

from adapters.files.catalog_reader import CatalogFileError, RowError, read_rows
from application.catalog.import_catalog import ImportItem, ImportReport, RejectedRow
from entrypoints.container import build_container, close_container
from entrypoints.settings import load_settings, unbounded_statements

SHOWN_REJECTIONS = 50


def import_items(path: Path) -> Iterator[ImportItem]:
    for item in read_rows(path):
        yield RejectedRow(line=item.line, errors=item.errors) if isinstance(item, RowError) else item


def print_report(report: ImportReport, path: Path) -> None:
    for row in report.rejected_rows[:SHOWN_REJECTIONS]:
        reasons = "; ".join(f"{field}: {reason}" for field, reason in row.errors.items())
        print(f"{path}:{row.line}: rejected: {reasons}", file=sys.stderr)
    if report.rejected > SHOWN_REJECTIONS:
        print(f"... and {report.rejected - SHOWN_REJECTIONS} more rejected rows", file=sys.stderr)
    print(
        f"read {report.read} rows: {report.inserted} inserted, {report.updated} updated, "
        f"{report.rejected} rejected, {report.unchanged} unchanged"
    )


def exit_code(report: ImportReport) -> int:
    if report.loaded == 0:
        return 2
    return 1 if report.rejected else 0


async def import_file(path: Path, quiet: bool = False) -> ImportReport:
    container = build_container(unbounded_statements(load_settings()))
    try:
        use_case = container.import_catalog()
        with tqdm(desc="importing", unit=" rows", disable=quiet, file=sys.stderr) as bar:
            return await use_case(import_items(path), progress=bar.update)
    finally:
        await close_container(container)


async def import_catalog_command(args: argparse.Namespace) -> int:
    path = Path(args.file)
    try:
        report = await import_file(path, quiet=args.quiet)
    except CatalogFileError as exc:
        print(f"cannot read {path}: {exc}", file=sys.stderr)
        return 2
    print_report(report, path)
    return exit_code(report)
