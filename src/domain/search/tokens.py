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

_CHUNK_RE = re.compile(r"[a-z0-9]+(?:(?:[-/]|(?<=\d)[.,](?=\d))[a-z0-9]+)*")
_PIECE_RE = re.compile(r"[a-z]+|[0-9]+|[-/.,]")
_THOUSANDS_RE = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
# An inch or foot mark right after a digit; a '"' may also open or close a quoted phrase.
# A size's 'x' right after the mark is taken with it ('5\'x7\'' -> 5ft x 7ft); "90's" keeps its apostrophe.
_MARK_RE = re.compile(r"\"(?:x(?=\d))?|(?<=\d)(?:''|′′|[”″])(?:x(?=\d))?|(?<=\d)['’′](?:x(?=\d)|(?![a-z]))")
_DIGITS = frozenset("0123456789")


class Form(NamedTuple):
    """A joined form of the atoms start..end (end excluded)."""

    text: str
    start: int
    end: int
    vocabulary: bool  # a word a shopper would type, kept for spelling and completion


class Tokens(NamedTuple):
    atoms: list[str]
    forms: list[Form]


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


def _pieces(chunk: str) -> tuple[list[str], list[bool], bool]:
    """A compound chunk's atoms, which of them are whole numbers, and whether it may be joined."""
    atoms: list[str] = []
    plain: list[bool] = []
    joinable = True
    pieces = _PIECE_RE.findall(_THOUSANDS_RE.sub("", chunk))
    for i, piece in enumerate(pieces):
        if piece in "-/.,":
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
    return atoms, plain, joinable


def split_text(folded: str) -> Tokens:
    """The atoms of a folded text and its joined forms."""
    text = normalise_marks(folded)
    atoms: list[str] = []
    plain: list[bool] = []
    unit: list[bool] = []
    chunk_of: list[int] = []
    forms: list[Form] = []
    for index, chunk in enumerate(_CHUNK_RE.findall(text)):
        start = len(atoms)
        if chunk.isalpha() or chunk.isdigit():
            chunk_atoms, chunk_plain, joinable = [chunk], [chunk[0] in _DIGITS], False
        else:
            chunk_atoms, chunk_plain, joinable = _pieces(chunk)
        for atom, whole in zip(chunk_atoms, chunk_plain, strict=True):
            is_unit = bool(atoms) and atoms[-1][0] in _DIGITS and atom in UNITS
            atoms.append(UNITS[atom] if is_unit else atom)
            plain.append(whole)
            unit.append(is_unit)
            chunk_of.append(index)
        if joinable and len(chunk_atoms) > 1:
            forms.append(Form("".join(atoms[start:]), start, len(atoms), "/" not in chunk))
    forms.extend(_measurements(atoms, plain, unit, chunk_of))
    forms.extend(_sizes(atoms, plain, unit))
    forms.extend(_letter_suffixes(atoms, unit, chunk_of))
    seen: set[tuple[str, int]] = set()
    unique = []
    for form in forms:
        if (form.text, form.start) not in seen:
            seen.add((form.text, form.start))
            unique.append(form)
    return Tokens(atoms, unique)


def _measurements(atoms: list[str], plain: list[bool], unit: list[bool], chunk_of: list[int]) -> list[Form]:
    """'65 W' -> 65w: a whole number and the unit after it, written apart."""
    return [
        Form(atoms[i] + atoms[i + 1], i, i + 2, True)
        for i in range(len(atoms) - 1)
        if plain[i] and unit[i + 1] and chunk_of[i] != chunk_of[i + 1]
    ]


def _sizes(atoms: list[str], plain: list[bool], unit: list[bool]) -> list[Form]:
    """'12 in x 16 in' -> 12x16 and 12x16in; '2x4x8' -> 2x4x8."""
    found: list[Form] = []
    i, n = 0, len(atoms)
    while i < n:
        if not plain[i]:
            i += 1
            continue
        numbers, last_unit, j = [atoms[i]], "", i + 1
        if j < n and unit[j]:
            last_unit, j = atoms[j], j + 1
        while j + 1 < n and atoms[j] == "x" and plain[j + 1]:
            numbers.append(atoms[j + 1])
            last_unit, j = "", j + 2
            if j < n and unit[j]:
                last_unit, j = atoms[j], j + 1
        if len(numbers) > 1:
            size = "x".join(numbers)
            found.append(Form(size, i, j, True))
            if last_unit:
                found.append(Form(size + last_unit, i, j, True))
        i = j
    return found


def _letter_suffixes(atoms: list[str], unit: list[bool], chunk_of: list[int]) -> list[Form]:
    """'usb c' -> usbc, so that 'usbc' finds it: a word and a lone letter written apart."""
    return [
        Form(atoms[i] + atoms[i + 1], i, i + 2, False)
        for i in range(len(atoms) - 1)
        if len(atoms[i + 1]) == 1
        and atoms[i + 1].isalpha()
        and atoms[i + 1] not in STOPWORDS
        and len(atoms[i]) > 1
        and atoms[i].isalpha()
        and atoms[i] not in STOPWORDS
        and not unit[i]
        and chunk_of[i] != chunk_of[i + 1]
    ]
