"""How folded text splits into words, for products and queries alike: measurements, sizes,
model numbers and compounds.

A chunk is letters and digits joined by '-', '/' or (between digits) '.' or ','. Its words
('atoms') split at every letter/digit boundary ('rtx4090' -> rtx 4090, '12x16' -> 12 x 16); a
unit word after a number takes one spelling ('27 inches' -> 27 in). Besides the atoms, a text
has joined forms: a compound written together ('usb-c' -> usbc, '27-inch' -> 27in), a number and
its unit ('65 W' -> 65w), sizes ('12 in. x 16 in.' -> 12x16 and 12x16in) and a word followed by a
lone letter ('USB C' -> usbc). The index writes the atoms in order and the joined forms after
them, so phrases of atoms still stand together; a query word may match either.

Numbers with a decimal point or a fraction ('2.5', '3/4') are never joined: '3/4' is not 34.
"""

import re
from functools import lru_cache
from typing import Final, NamedTuple

from domain.search.stopwords import STOPWORDS

# Spellings of a unit after a number -> the one the index keeps. Each value maps to itself.
_UNIT_SPELLINGS: Final = {
    "in": ("inch", "inches"),
    "ft": ("foot", "feet"),
    "yd": ("yard", "yards"),
    "mm": ("millimeter", "millimeters", "millimetre", "millimetres"),
    "cm": ("centimeter", "centimeters", "centimetre", "centimetres"),
    "m": ("meter", "meters", "metre", "metres"),
    "km": ("kilometer", "kilometers", "kilometre", "kilometres"),
    "v": ("volt", "volts"),
    "w": ("watt", "watts"),
    "kw": ("kilowatt", "kilowatts"),
    "a": ("amp", "amps", "ampere", "amperes"),
    "mah": (),
    "ah": (),
    "hp": ("horsepower",),
    "gal": ("gallon", "gallons"),
    "qt": ("quart", "quarts"),
    "l": ("liter", "liters", "litre", "litres"),
    "ml": ("milliliter", "milliliters", "millilitre", "millilitres"),
    "oz": ("ounce", "ounces"),
    "lb": ("lbs", "pound", "pounds"),
    "kg": ("kgs", "kilogram", "kilograms"),
    "g": ("gram", "grams"),
    "mb": ("megabyte", "megabytes"),
    "gb": ("gigabyte", "gigabytes"),
    "tb": ("terabyte", "terabytes"),
    "hz": ("hertz",),
    "khz": (),
    "mhz": (),
    "ghz": (),
    "mp": ("megapixel", "megapixels"),
    "pc": ("pcs", "piece", "pieces"),
    "pack": ("pk", "packs"),
    "ct": ("count",),
}
UNITS: Final[dict[str, str]] = {
    spelling: unit for unit, spellings in _UNIT_SPELLINGS.items() for spelling in (unit, *spellings)
}

_PIECE_RE = re.compile(r"[a-z]+|[0-9]+|[-/.,]")
_THOUSANDS_RE = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
# An inch or foot mark right after a digit; a '"' may also open or close a quoted phrase.
# A size's 'x' right after the mark is taken with it ('5\'x7\'' -> 5ft x 7ft); "90's" keeps its apostrophe.
_MARK_RE = re.compile(r"\"(?:x(?=\d))?|(?<=\d)(?:''|′′|[”″])(?:x(?=\d))?|(?<=\d)['’′](?:x(?=\d)|(?![a-z]))")
_DIGITS = frozenset("0123456789")
_SEPARATORS = frozenset("-/.,")
_ATOM_RE = re.compile(r"[a-z]+|[0-9]+")
# A chunk with more than one atom: runs of letters or digits, each whole, joined by a separator
# or by a change from letters to digits.
_RUN = r"(?:[a-z]++|[0-9]++)"
_COMPOUND_RE = re.compile(rf"(?<![a-z0-9])({_RUN}(?:(?:[-/]|(?<=\d)[.,](?=\d))?{_RUN})+)")
# Whether a unit may follow a number anywhere in a text (the exact test is per atom).
_NUMBER_UNIT_RE = re.compile(
    r"\d[-/., ]*(?:" + "|".join(sorted(UNITS, key=len, reverse=True)) + r")(?![a-z])"
)
_LONE_LETTER_RE = re.compile(r"\b[b-hj-z]\b")  # 'a' and 'i' are stop words


class Form(NamedTuple):
    """A joined form of the atoms start..end (end excluded)."""

    text: str
    start: int
    end: int
    vocabulary: bool  # a word a shopper would type, kept for spelling and completion


class Tokens(NamedTuple):
    atoms: tuple[str, ...]
    forms: tuple[Form, ...]


def normalise_marks(text: str) -> str:
    """'27"' -> '27in ', "6'" -> '6ft '; a '"' that opens or closes a quoted phrase is kept."""
    if '"' not in text and "'" not in text and not any(m in text for m in "”″′’"):
        return text
    in_quote = False

    def replace(match: re.Match[str]) -> str:
        nonlocal in_quote
        mark = match.group()
        if mark[0] == '"':
            if not in_quote and match.start() > 0 and text[match.start() - 1] in _DIGITS:
                return "in x " if mark.endswith("x") else "in "
            in_quote = not in_quote
            return mark
        unit = "ft " if mark[0] in "'’′" and mark[:2] != "''" else "in "
        return unit + "x " if mark.endswith("x") else unit

    return _MARK_RE.sub(replace, text)


@lru_cache(maxsize=50_000)
def _pieces(chunk: str) -> tuple[tuple[str, ...], tuple[int, ...], bool]:
    """A compound chunk's atoms, which of them are digits of a decimal or fraction, and whether
    it may be joined."""
    atoms: list[str] = []
    plain: list[bool] = []
    joinable = True
    pieces = _PIECE_RE.findall(_THOUSANDS_RE.sub("", chunk))
    for i, piece in enumerate(pieces):
        if piece in _SEPARATORS:
            before, after = pieces[i - 1], pieces[i + 1]
            if piece in ".," or (before[0] in _DIGITS and after[0] in _DIGITS):
                joinable = False  # '2.5' or '3/4': a number, not two
                plain[-1] = False
                pieces[i + 1] = "." + after  # marks the next run as part of that number
            continue
        number_part = piece.startswith(".")
        piece = piece.lstrip(".")
        # '16inx20in': the unit and the size's 'x' ran together.
        if (
            atoms
            and piece[-1] == "x"
            and piece[:-1] in UNITS
            and atoms[-1][0] in _DIGITS
            and i + 1 < len(pieces)
            and pieces[i + 1][0] in _DIGITS
        ):
            atoms.append(piece[:-1])
            plain.append(False)
            piece = "x"
        atoms.append(piece)
        plain.append(piece[0] in _DIGITS and not number_part)
    in_number = tuple(j for j, atom in enumerate(atoms) if atom[0] in _DIGITS and not plain[j])
    return tuple(atoms), in_number, joinable


def split_text(folded: str) -> Tokens:
    """The atoms of a folded text and its joined forms.

    Most words are plain and need no work beyond one regular expression: the text is cut at its
    compound chunks, and only those are looked at one by one. The rarer facts (an atom inside a
    compound, a digit in a decimal, a unit) are kept as sets.
    """
    if len(folded) <= 80:  # brands, categories, query words: few, and met again and again
        return _split_short(folded)
    return _split(folded)


@lru_cache(maxsize=50_000)
def _split_short(folded: str) -> Tokens:
    return _split(folded)


def _split(folded: str) -> Tokens:
    text = normalise_marks(folded)
    parts = _COMPOUND_RE.split(text)  # plain text, a compound, plain text, ...
    atoms: list[str] = _ATOM_RE.findall(parts[0])
    if len(parts) == 1 and not _NUMBER_UNIT_RE.search(text) and not _LONE_LETTER_RE.search(text):
        return Tokens(tuple(atoms), ())
    inner: set[int] = set()  # atoms that do not start a chunk
    in_number: set[int] = set()  # digits of a decimal or fraction
    compounds: list[tuple[int, int, bool]] = []  # joinable chunks: start, end, a vocabulary word
    for k in range(1, len(parts), 2):
        chunk, start = parts[k], len(atoms)
        pieces, numbers, joinable = _pieces(chunk)
        atoms.extend(pieces)
        inner.update(range(start + 1, len(atoms)))
        if numbers:
            in_number.update(start + j for j in numbers)
        if joinable and len(pieces) > 1:
            compounds.append((start, len(atoms), "/" not in chunk))
        atoms.extend(_ATOM_RE.findall(parts[k + 1]))
    units: list[int] = []
    if _NUMBER_UNIT_RE.search(text):
        units = [i for i in range(1, len(atoms)) if atoms[i] in UNITS and atoms[i - 1][0] in _DIGITS]
        for i in units:
            atoms[i] = UNITS[atoms[i]]
    forms = [Form("".join(atoms[start:end]), start, end, vocabulary) for start, end, vocabulary in compounds]
    if units:
        # '65 W' -> 65w: a whole number and the unit after it, written apart.
        forms.extend(
            Form(atoms[i - 1] + atoms[i], i - 1, i + 1, True)
            for i in units
            if i not in inner and i - 1 not in in_number
        )
    if "x" in atoms:
        forms.extend(_sizes(atoms, in_number, set(units)))
    if _LONE_LETTER_RE.search(text):
        forms.extend(_letter_suffixes(atoms, set(units), inner))
    if len(forms) < 2:
        return Tokens(tuple(atoms), tuple(forms))
    # A compound that is also a size ('12x16') is one form, not two.
    unique: dict[tuple[str, int], Form] = {}
    for form in forms:
        unique.setdefault((form.text, form.start), form)
    return Tokens(tuple(atoms), tuple(unique.values()))


def _sizes(atoms: list[str], in_number: set[int], units: set[int]) -> list[Form]:
    """'12 in x 16 in' -> 12x16 and 12x16in; '2x4x8' -> 2x4x8."""

    def whole(i: int) -> bool:
        return atoms[i][0] in _DIGITS and i not in in_number

    found: list[Form] = []
    i, n = 0, len(atoms)
    while i < n:
        if not whole(i):
            i += 1
            continue
        numbers, last_unit, j = [atoms[i]], "", i + 1
        if j in units:
            last_unit, j = atoms[j], j + 1
        while j + 1 < n and atoms[j] == "x" and whole(j + 1):
            numbers.append(atoms[j + 1])
            last_unit, j = "", j + 2
            if j in units:
                last_unit, j = atoms[j], j + 1
        if len(numbers) > 1:
            size = "x".join(numbers)
            found.append(Form(size, i, j, True))
            if last_unit:
                found.append(Form(size + last_unit, i, j, True))
        i = j
    return found


def _letter_suffixes(atoms: list[str], units: set[int], inner: set[int]) -> list[Form]:
    """'usb c' -> usbc, so that 'usbc' finds it: a word and a lone letter written apart."""
    return [
        Form(atoms[i - 1] + atoms[i], i - 1, i + 1, False)
        for i in range(1, len(atoms))
        if len(atoms[i]) == 1
        and i not in inner
        and atoms[i].isalpha()
        and atoms[i] not in STOPWORDS
        and len(atoms[i - 1]) > 1
        and atoms[i - 1].isalpha()
        and atoms[i - 1] not in STOPWORDS
        and i - 1 not in units
    ]
