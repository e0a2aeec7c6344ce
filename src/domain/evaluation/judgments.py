"""Graded relevance judgments: `query<TAB>sku<TAB>grade` lines, parsed and written."""

from collections.abc import Iterable, Mapping

from domain.evaluation.errors import InvalidJudgments

MAX_GRADE = 10
HEADER = ("query", "sku", "grade")

# query -> {sku: grade}, queries in first-appearance order.
Judgments = dict[str, dict[str, int]]


def parse_judgments(lines: Iterable[str]) -> Judgments:
    """Read TSV lines; blank lines, `#` comments and a `query sku grade` header are skipped.

    Every other line must hold exactly three tab-separated fields, a non-empty query and sku and
    an integer grade in 0..MAX_GRADE; a (query, sku) pair may appear once.
    """
    judgments: Judgments = {}
    for number, raw in enumerate(lines, start=1):
        line = raw.rstrip("\r\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 3:
            raise InvalidJudgments(number, f"expected 3 tab-separated fields, found {len(fields)}")
        query, sku, grade_text = (f.strip() for f in fields)
        if (query.lower(), sku.lower(), grade_text.lower()) == HEADER:
            continue
        if not query or not sku:
            raise InvalidJudgments(number, "query and sku must not be empty")
        try:
            grade = int(grade_text)
        except ValueError:
            raise InvalidJudgments(number, f"grade {grade_text!r} is not an integer") from None
        if not 0 <= grade <= MAX_GRADE:
            raise InvalidJudgments(number, f"grade {grade} is outside 0..{MAX_GRADE}")
        graded = judgments.setdefault(query, {})
        if sku in graded:
            raise InvalidJudgments(number, f"({query!r}, {sku!r}) is judged twice")
        graded[sku] = grade
    return judgments


def format_judgments(judgments: Mapping[str, Mapping[str, int]]) -> str:
    """TSV with a header; within a query, higher grades first, then by sku (a stable file)."""
    out = ["\t".join(HEADER)]
    for query, graded in judgments.items():
        if "\t" in query or "\n" in query:
            raise ValueError(f"a query may not hold tabs or newlines: {query!r}")
        for sku, grade in sorted(graded.items(), key=lambda kv: (-kv[1], kv[0])):
            out.append(f"{query}\t{sku}\t{grade}")
    return "\n".join(out) + "\n"
