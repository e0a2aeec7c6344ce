"""Synonyms at query time: the typed words gain their synonyms as alternatives (pure domain)."""

import pytest

from domain.errors import InvalidValue
from domain.search.model import loosened, match_spec
from domain.search.query import parse_query
from domain.search.synonyms import MAX_TERMS, Synonym, new_synonym
from domain.search.thesaurus import Thesaurus


def clauses(thesaurus: Thesaurus, text: str) -> list[list[str]]:
    """Each clause's alternatives as space-joined stems."""
    spec = match_spec(thesaurus.expand(parse_query(text)))
    return [[" ".join(phrase) for phrase in clause] for clause in spec.clauses]


SHOP = Thesaurus(
    [
        new_synonym(["sofa", "couch", "settee"]),
        new_synonym(["television"], "tv"),
        new_synonym(["divan", "sofa bed"]),
        new_synonym(["usb-c", "type c"]),
    ]
)


def test_multi_way_gives_every_term_the_others() -> None:
    assert clauses(SHOP, "couch") == [["couch", "sofa", "sette"]]
    assert clauses(SHOP, "settee") == [["sette", "sofa", "couch"]]
    assert clauses(SHOP, "sofa") == [["sofa", "couch", "sette"]]


def test_one_way_is_one_way() -> None:
    assert clauses(SHOP, "tv") == [["tv", "televis"]]
    assert clauses(SHOP, "television") == [["televis"]]


def test_a_multi_word_synonym_is_a_phrase_and_a_typed_phrase_is_read_whole() -> None:
    assert clauses(SHOP, "divan") == [["divan", "sofa bed"]]
    # The longest run wins: 'sofa bed' is the term, not 'sofa' then 'bed'.
    assert clauses(SHOP, "grey sofa bed") == [["grey"], ["sofa bed", "divan"]]
    assert clauses(SHOP, "sofa grey bed") == [["sofa", "couch", "sette"], ["grey"], ["bed"]]


def test_terms_match_by_stem_so_plurals_find_the_synonyms() -> None:
    assert clauses(SHOP, "couches") == [["couch", "sofa", "sette"]]
    assert clauses(SHOP, "sofas") == [["sofa", "couch", "sette"]]


def test_compounds_match_written_together_or_apart() -> None:
    typed_apart = clauses(SHOP, "usb-c cable")
    assert (
        typed_apart[0][:2] == ["usb c", "usbc"] and "type c" in typed_apart[0] and "typec" in typed_apart[0]
    )
    assert "type c" in clauses(SHOP, "usbc")[0]
    assert clauses(SHOP, "type-c")[0][:2] == ["type c", "typec"] and "usb c" in clauses(SHOP, "type-c")[0]


def test_words_the_shopper_joined_with_or_and_excluded_words_are_left_alone() -> None:
    assert clauses(SHOP, "tv OR radio") == [["tv", "radio"]]
    spec = match_spec(SHOP.expand(parse_query("lamp -couch")))
    assert spec.excluded == (("couch",),)


def test_synonyms_are_one_step_only() -> None:
    chain = Thesaurus([new_synonym(["b"], "aaa"), new_synonym(["ccc"], "b")])
    assert clauses(chain, "aaa") == [["aaa", "b"]]


def test_a_clause_with_synonyms_is_not_split_into_words_by_the_lower_tiers() -> None:
    spec = match_spec(SHOP.expand(parse_query("divan cover")))
    assert loosened(spec).clauses == spec.clauses
    # A compound without synonyms still is.
    plain = match_spec(parse_query("edge9 cover"))
    assert len(loosened(plain).clauses) == 3


def test_the_thesaurus_knows_the_words_of_its_terms() -> None:
    assert SHOP.knows("settee") and SHOP.knows("couches") and SHOP.knows("tv")
    assert not SHOP.knows("lamp")
    assert not Thesaurus().knows("tv")


def test_an_empty_thesaurus_leaves_the_query_as_parsed() -> None:
    query = parse_query("grey sofa bed")
    assert Thesaurus().expand(query) is query


@pytest.mark.parametrize(
    ("terms", "source", "field"),
    [
        (["sofa"], None, "terms"),  # multi-way needs two
        ([], "tv", "to"),
        (["sofa", "  "], None, "terms"),
        (["sofa", "Sofas"], None, "terms"),  # the same term by stem
        (["television", "tv"], "TV", "to"),  # the source among its targets
        ([f"w{i}" for i in range(MAX_TERMS + 1)], None, "terms"),
        (["a b c d e f", "x"], None, "terms"),
        (["x" * 101, "y"], None, "terms"),
        (["---", "y"], None, "terms"),
        ("sofa", None, "terms"),
        ([1, 2], None, "terms"),
        (["tv"], "", "from"),
    ],
)
def test_invalid_synonyms_are_refused_naming_the_field(terms: object, source: object, field: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        new_synonym(terms, source)
    assert refused.value.field == field


def test_terms_are_folded_and_compared_by_their_words() -> None:
    made = new_synonym(["  Sofa   Bed ", "Divan"])
    assert made == Synonym(terms=("sofa bed", "divan"))
    assert made.same_as(new_synonym(["divan", "sofa beds"]))
    assert not made.same_as(new_synonym(["divan"], "sofa bed"))
