"""Highlighting the query's words in a title, escaped for HTML."""

import re

from domain.search.highlight import highlight


def test_marks_a_word_whose_stem_is_sought() -> None:
    assert highlight("Sony Headphones WH-1000", {"headphon"}) == "Sony <mark>Headphones</mark> WH-1000"


def test_marks_every_occurrence_keeping_the_original_case() -> None:
    assert highlight("Run, RUNNING, runner", {"run"}) == "<mark>Run</mark>, <mark>RUNNING</mark>, runner"


def test_nothing_sought_leaves_the_escaped_title() -> None:
    assert highlight("Tom & Jerry", set()) == "Tom &amp; Jerry"


def test_escapes_html_in_the_title() -> None:
    out = highlight('<script>alert("x")</script> Headphones & more', {"headphon"})
    assert out == ("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; <mark>Headphones</mark> &amp; more")
    assert "<script" not in out


def test_a_sought_word_inside_a_tag_is_marked_but_the_tag_stays_escaped() -> None:
    out = highlight("<script>Headphones</script>", {"script", "headphon"})
    assert out == "&lt;<mark>script</mark>&gt;<mark>Headphones</mark>&lt;/<mark>script</mark>&gt;"
    # The only tags left are the marks themselves.
    assert set(re.findall(r"</?[a-z]+>", out)) == {"<mark>", "</mark>"}


def test_escapes_quotes_and_apostrophes() -> None:
    assert highlight('Café "Bleu" it\'s', {"cafe"}) == "<mark>Café</mark> &quot;Bleu&quot; it&#x27;s"


def test_accented_title_words_match_folded_stems() -> None:
    assert highlight("Crème Brûlée Set", {"creme", "brule"}) == "<mark>Crème</mark> <mark>Brûlée</mark> Set"
    assert highlight("Straße Map", {"strass"}) == "<mark>Straße</mark> Map"


def test_stop_words_are_never_marked() -> None:
    assert highlight("The Best of the Best", {"the", "of", "best"}) == (
        "The <mark>Best</mark> of the <mark>Best</mark>"
    )


def test_prefixes_mark_words_starting_with_them() -> None:
    assert highlight("Wireless Mouse", set(), ("wire",)) == "<mark>Wireless</mark> Mouse"
    assert highlight("Wireless Mouse", set(), ("mou", "wir")) == "<mark>Wireless</mark> <mark>Mouse</mark>"


def test_highlight_splits_words_like_the_indexer() -> None:
    assert highlight("USB_C Cable", {"usb"}) == "<mark>USB</mark>_C Cable"
