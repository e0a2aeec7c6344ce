"""`ecomsearch analytics`: the experiment readout as plain-text tables (or the API's JSON)."""

import argparse
import sys
from collections.abc import Sequence

import msgspec

from application.analytics.errors import InvalidWindow
from application.analytics.read_analytics import DEFAULT_DAYS, AnalyticsReport, parse_days
from entrypoints.container import build_container, close_container
from entrypoints.settings import load_settings

Cell = str | int | float | None
ARM_HEADERS = (
    "arm", "users", "searches", "impressions", "clicks", "add_to_cart", "ctr", "conversion", "ctr/impr",
    "zero_result", "mrr",
)  # fmt: skip


def _cell(value: Cell) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.4f}"
    return str(value)


def table(headers: Sequence[str], rows: Sequence[Sequence[Cell]]) -> str:
    """Columns padded to their widest cell; numbers right-aligned, text left-aligned."""
    if not rows:
        return "  (none)"
    cells = [list(headers), *[[_cell(v) for v in row] for row in rows]]
    widths = [max(len(line[i]) for line in cells) for i in range(len(headers))]
    numeric = [
        all(isinstance(row[i], int | float) or row[i] is None for row in rows) for i in range(len(headers))
    ]
    lines = []
    for line in cells:
        padded = [c.rjust(w) if num else c.ljust(w) for c, w, num in zip(line, widths, numeric, strict=True)]
        lines.append("  " + "  ".join(padded).rstrip())
    return "\n".join(lines)


def render(report: AnalyticsReport) -> str:
    arms = [
        (arm, m.users, m.searches, m.impressions, m.clicks, m.add_to_cart, m.ctr, m.conversion,
         m.ctr_per_impression, m.zero_result_rate, m.mrr)
        for arm, m in report.arms.items()
    ]  # fmt: skip
    srm = report.sample_ratio
    shares = ", ".join(
        f"{arm} {srm.observed[arm]:.3f} (expected {srm.expected_share[arm]:.3f})" for arm in srm.observed
    )
    parts = [
        f"Analytics {report.since} .. {report.until} ({report.days} days, UTC)",
        "",
        "Arms",
        table(ARM_HEADERS, arms),
        "",
        "Comparison (personalized over popularity)",
        table(
            ["metric", "lift", "ci_low", "ci_high", "p_value"],
            [(name, c.lift, c.ci_low, c.ci_high, c.p_value) for name, c in report.comparison.items()],
        ),
        f"  method: {report.method}",
        "",
        f"Sample ratio: {shares}; p={srm.p_value:.4g}; mismatch: {'YES' if srm.mismatch else 'no'}",
        f"Verdict: {report.verdict}",
        "",
        "Top queries",
        table(["query", "count"], [(q.query, q.count) for q in report.top_queries]),
        "",
        "Zero-result queries",
        table(["query", "count"], [(q.query, q.count) for q in report.zero_result_queries]),
        "",
        "Lowest click-through queries",
        table(
            ["query", "searches", "clicks", "ctr"],
            [(q.query, q.searches, q.clicks, q.ctr) for q in report.lowest_ctr_queries],
        ),
        "",
        "Clusters",
        table(
            ["cluster", "users", "top_categories"],
            [(c.cluster, c.users, ", ".join(c.top_categories)) for c in report.clusters],
        ),
    ]
    return "\n".join(parts)


async def analytics_command(args: argparse.Namespace) -> int:
    try:
        days = parse_days(args.days)
    except InvalidWindow as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    container = build_container(load_settings())
    try:
        if args.refresh:
            await container.job_runner().run("rollup")
        report = await container.read_analytics()(days)
    finally:
        await close_container(container)
    print(msgspec.json.encode(report).decode() if args.json else render(report))
    return 0


def add_analytics_command(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    parser = commands.add_parser("analytics", help="print the experiment readout from the rollups")
    parser.add_argument("--days", default=str(DEFAULT_DAYS), help="window in days, 1..365 (default 30)")
    parser.add_argument("--refresh", action="store_true", help="run the rollup job first")
    parser.add_argument("--json", action="store_true", help="print the same JSON as GET /api/analytics")
    parser.set_defaults(run=analytics_command)
