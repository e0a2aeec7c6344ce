"""`ecomsearch eval relevance JUDGMENTS [--compare CONFIG | --against SAVED | --synonyms FILE]
[--arm ARM] [--save FILE]`.

Offline relevance of the search. `--save` keeps a run's per-query figures, and `--against` pairs
a later run with them: the effect of a code change, with its interval, not only of a ranking
configuration. `--synonyms` pairs the search without any synonym with the search with the file's
(Solr format), neither reading nor changing the shop's own. Exit 0 after printing the figures, 2 when the judgments or the saved run cannot be
read or hold nothing to score. The figures never decide the exit code: a worse ranking is a
finding, not a failure.
"""

import argparse
import sys
from pathlib import Path

import msgspec
from dependency_injector import providers

from adapters.files.synonym_file import read_synonym_file
from application.evaluation.evaluate_relevance import (
    EvaluateRelevance,
    EvaluationSettings,
    RelevanceComparison,
    RelevanceReport,
)
from application.search.current_synonyms import FixedSynonyms
from domain.evaluation.errors import InvalidJudgments
from domain.evaluation.judgments import Judgments, parse_judgments
from domain.ranking.formula import FormulaWeights
from domain.search.errors import InvalidQuery
from domain.search.synonyms import Synonym
from entrypoints.container import build_container, close_container
from entrypoints.settings import Settings, load_settings

LABELS = {"ndcg": "NDCG@{k}", "reciprocal_rank": "MRR", "recall": "Recall@{r}"}
NAMED = ("formula", "text", "current")


def ranking_config(spec: str) -> str:
    """argparse type: `formula`, `text`, `current` or `text=W,popularity=W,rating=W` (any subset).

    `current` is the ranker as deployed: the promoted learned model, or the formula without one.
    """
    if spec in NAMED:
        return spec
    try:
        _weights(spec, FormulaWeights())
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None
    return spec


def _weights(spec: str, current: FormulaWeights) -> FormulaWeights:
    if spec in ("formula", "current"):
        return current
    if spec == "text":
        return msgspec.structs.replace(current, text=1.0, popularity=0.0, rating=0.0)
    values: dict[str, float] = {}
    for part in spec.split(","):
        name, sep, raw = part.partition("=")
        name = name.strip()
        if not sep or name not in {"text", "popularity", "rating"}:
            raise ValueError(f"{part!r}: use formula, text, or text=W,popularity=W,rating=W")
        try:
            values[name] = float(raw)
        except ValueError:
            raise ValueError(f"{part!r}: the weight must be a number") from None
        if values[name] < 0:
            raise ValueError(f"{part!r}: weights must not be negative")
    return msgspec.structs.replace(current, **values)


def _describe(spec: str, weights: FormulaWeights) -> str:
    if spec == "current":
        return f"current (the promoted model if any, else text {weights.text:.2f}, popularity {weights.popularity:.2f}, rating {weights.rating:.2f})"
    return (
        f"{spec} (text {weights.text:.2f}, popularity {weights.popularity:.2f}, rating {weights.rating:.2f})"
    )


def _settings_for(base: Settings, weights: FormulaWeights) -> Settings:
    # No result cache: its key does not hold the weights, so two configurations would share answers.
    search = msgspec.structs.replace(base.search, result_ttl_seconds=0)
    return msgspec.structs.replace(base, formula=weights, search=search)


def read_judgments(path: Path) -> Judgments:
    with path.open(encoding="utf-8") as lines:
        return parse_judgments(lines)


async def _report(
    evaluate: EvaluateRelevance,
    settings: Settings,
    judgments: Judgments,
    spec: str,
    synonyms: list[Synonym] | None = None,
) -> RelevanceReport:
    """`synonyms`: searched with these instead of the shop's (None: the shop's)."""
    container = build_container(settings)
    if synonyms is not None:
        container.current_synonyms.override(providers.Object(FixedSynonyms(synonyms)))
    if spec != "current":
        # The formula itself, not a promoted model that falls back to it.
        container.ranker.override(container.formula_ranker)
    try:
        return await evaluate(container.search_products(), judgments)
    finally:
        container.ranker.reset_override()
        container.current_synonyms.reset_override()
        await close_container(container)


def _line(label: str, mean: float, low: float, high: float) -> str:
    return f"{label:<12} {mean:7.4f}  [{low:.4f}, {high:.4f}]"


def print_report(report: RelevanceReport, title: str, settings: EvaluationSettings) -> None:
    level = round(settings.confidence * 100)
    print(f"{title}: {len(report.per_query)} queries")
    print(f"{'metric':<12} {'mean':>7}  {level}% CI (bootstrap over queries)")
    for name, estimate in report.summary.items():
        label = LABELS[name].format(k=settings.ndcg_k, r=settings.recall_k)
        print(_line(label, estimate.mean, estimate.ci_low, estimate.ci_high))
    print(f"{'no result':<12} {report.no_result:7.2%}  of the queries")


def print_comparison(comparison: RelevanceComparison, settings: EvaluationSettings) -> None:
    level = round(settings.confidence * 100)
    print(f"paired difference, candidate - baseline ({level}% CI, sign-flip p-value):")
    for name, diff in comparison.difference.items():
        label = LABELS[name].format(k=settings.ndcg_k, r=settings.recall_k)
        print(
            f"{label:<12} {diff.mean:+7.4f}  [{diff.ci_low:+.4f}, {diff.ci_high:+.4f}]  p = {diff.p_value:.4f}"
        )


def read_report(path: Path) -> RelevanceReport:
    return msgspec.json.decode(path.read_bytes(), type=RelevanceReport)


def save_report(path: Path, report: RelevanceReport) -> None:
    path.write_bytes(msgspec.json.encode(report))


async def eval_relevance_command(args: argparse.Namespace) -> int:
    path = Path(args.judgments)
    try:
        judgments = read_judgments(path)
    except InvalidJudgments as exc:
        print(f"{path}:{exc.line}: {exc.reason}", file=sys.stderr)
        return 2
    except (OSError, UnicodeDecodeError) as exc:
        print(f"cannot read {path}: {exc}", file=sys.stderr)
        return 2
    saved: RelevanceReport | None = None
    if args.against is not None:
        try:
            saved = read_report(Path(args.against))
        except (OSError, msgspec.DecodeError, msgspec.ValidationError) as exc:
            print(f"cannot read the saved run {args.against}: {exc}", file=sys.stderr)
            return 2
    synonyms: list[Synonym] | None = None
    if args.synonyms is not None:
        try:
            synonyms, rejected = read_synonym_file(Path(args.synonyms))
        except (OSError, UnicodeDecodeError) as exc:
            print(f"cannot read {args.synonyms}: {exc}", file=sys.stderr)
            return 2
        for reject in rejected:
            print(f"{args.synonyms}:{reject.line}: {reject.reason} (skipped)", file=sys.stderr)
    settings = load_settings()
    evaluation = EvaluationSettings(seed=args.seed, resamples=args.resamples, arm=args.arm)
    evaluate = EvaluateRelevance(evaluation)
    base_weights = _weights(args.baseline, settings.formula)
    candidate: RelevanceReport | None = None
    try:
        base_settings = _settings_for(settings, base_weights)
        if synonyms is not None:
            baseline = await _report(evaluate, base_settings, judgments, args.baseline, [])
            candidate = await _report(evaluate, base_settings, judgments, args.baseline, synonyms)
        else:
            baseline = await _report(evaluate, base_settings, judgments, args.baseline)
        if args.compare is not None:
            weights = _weights(args.compare, settings.formula)
            candidate = await _report(evaluate, _settings_for(settings, weights), judgments, args.compare)
    except (ValueError, InvalidQuery) as exc:  # a judged query the engine refuses (too long) is bad input too
        print(f"{path}: {exc}", file=sys.stderr)
        return 2
    if args.save is not None:
        try:
            save_report(Path(args.save), candidate or baseline)
        except OSError as exc:
            print(f"cannot save the run to {args.save}: {exc}", file=sys.stderr)
            return 2
    print(f"judgments: {path}" + (f", arm {args.arm}" if args.arm else ""))
    current = _describe(args.baseline, base_weights)
    if saved is not None:
        try:
            comparison = evaluate.paired(saved, baseline)
        except ValueError:
            print(f"{args.against}: the saved run covers other queries than {path}", file=sys.stderr)
            return 2
        print_report(saved, f"saved run {args.against}", evaluation)
        print_report(baseline, f"this run, ranking {current}", evaluation)
        print_comparison(comparison, evaluation)
    elif candidate is not None and synonyms is not None:
        print_report(baseline, f"without synonyms, ranking {current}", evaluation)
        print_report(candidate, f"with the {len(synonyms)} synonyms of {args.synonyms}", evaluation)
        print_comparison(evaluate.paired(baseline, candidate), evaluation)
    elif candidate is not None:
        comparison = evaluate.paired(baseline, candidate)
        print_report(baseline, f"baseline {current}", evaluation)
        print_report(candidate, f"candidate {_describe(args.compare, weights)}", evaluation)
        print_comparison(comparison, evaluation)
    else:
        print_report(baseline, f"ranking {current}", evaluation)
    _print_skipped(baseline)
    return 0


def _print_skipped(report: RelevanceReport) -> None:
    if report.skipped:
        print(f"{len(report.skipped)} queries without a relevant product were skipped")


def add_eval_commands(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    evaluation = commands.add_parser("eval", help="offline evaluation").add_subparsers(
        dest="action", required=True
    )
    relevance = evaluation.add_parser(
        "relevance", help="NDCG, MRR and recall of the search against graded judgments (TSV)"
    )
    relevance.add_argument("judgments", help="TSV file: query<TAB>sku<TAB>grade")
    relevance.add_argument(
        "--baseline",
        type=ranking_config,
        default="formula",
        help="formula (default), text, current (the deployed ranker), or weights",
    )
    second = relevance.add_mutually_exclusive_group()
    second.add_argument(
        "--compare",
        type=ranking_config,
        default=None,
        help="a second configuration: formula, text, or weights",
    )
    second.add_argument(
        "--against",
        metavar="SAVED",
        default=None,
        help="pair this run with one saved by --save (the effect of a code or catalog change)",
    )
    second.add_argument(
        "--synonyms",
        metavar="FILE",
        default=None,
        help="pair the search without synonyms with the search with this file's (Solr format)",
    )
    relevance.add_argument(
        "--save", metavar="FILE", default=None, help="keep this run's per-query figures (JSON) for --against"
    )
    relevance.add_argument(
        "--arm", default=None, help="judge the ranking of this experiment arm (default: the ranked one)"
    )
    relevance.add_argument(
        "--seed", type=int, default=0, help="seed of the bootstrap and the permutation test"
    )
    relevance.add_argument("--resamples", type=int, default=10_000)
    relevance.set_defaults(run=eval_relevance_command)
