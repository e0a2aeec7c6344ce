"""Arm assignment: deterministic, salted, and in the configured proportions."""

from collections import Counter

import pytest

from domain.experiments.assignment import (
    Experiment,
    anonymous_visitor_id,
    assign_arm,
    user_visitor_id,
)


def test_the_same_id_always_gets_the_same_arm() -> None:
    experiment = Experiment()
    for i in range(200):
        arms = {assign_arm(user_visitor_id(i), experiment) for _ in range(3)}
        assert len(arms) == 1
    assert assign_arm("anon:abc", Experiment()) == assign_arm("anon:abc", Experiment())


def test_a_fifty_fifty_split_over_10000_ids() -> None:
    counts = Counter(assign_arm(user_visitor_id(i), Experiment()) for i in range(10_000))
    assert set(counts) == {"personalized", "popularity"}
    assert 4_800 <= counts["personalized"] <= 5_200


def test_an_uneven_split_over_10000_ids() -> None:
    experiment = Experiment(arms=("personalized", "popularity"), split=(0.9, 0.1))
    counts = Counter(assign_arm(anonymous_visitor_id(f"visitor-{i}"), experiment) for i in range(10_000))
    assert 8_800 <= counts["personalized"] <= 9_200
    assert counts["personalized"] + counts["popularity"] == 10_000


def test_three_arms_and_all_in_one() -> None:
    three = Experiment(arms=("a", "b", "c"), split=(1, 1, 2))
    counts = Counter(assign_arm(str(i), three) for i in range(10_000))
    assert 2_300 <= counts["a"] <= 2_700 and 2_300 <= counts["b"] <= 2_700 and 4_800 <= counts["c"] <= 5_200
    only = Experiment(arms=("personalized", "popularity"), split=(1, 0))
    assert {assign_arm(str(i), only) for i in range(1_000)} == {"personalized"}


def test_the_salt_reshuffles_assignment() -> None:
    a = [assign_arm(str(i), Experiment(salt="one")) for i in range(1_000)]
    b = [assign_arm(str(i), Experiment(salt="two")) for i in range(1_000)]
    changed = sum(x != y for x, y in zip(a, b, strict=True))
    assert 400 <= changed <= 600  # independent halves: about half move


def test_users_and_anonymous_visitors_are_separate_ids() -> None:
    assert user_visitor_id(7) != anonymous_visitor_id("7")


@pytest.mark.parametrize(
    ("arms", "split"), [((), ()), (("a", "b"), (1.0,)), (("a",), (-1.0,)), (("a",), (0.0,))]
)
def test_bad_experiments_are_refused(arms: tuple[str, ...], split: tuple[float, ...]) -> None:
    with pytest.raises(ValueError):
        Experiment(arms=arms, split=split)
