"""The ranking-policy table: each arm's ranking decisions, and the default for any other arm."""

import pytest

from domain.experiments.assignment import Experiment
from domain.experiments.model import ARMS, CONTROL_ARM, PERSONALIZED_ARM, POPULARITY_ARM, TREATMENT_ARM
from domain.experiments.ranking_policy import RankingPolicy, policy_for, ranking_policies
from domain.search.model import SortKey


def test_every_arm_of_the_default_experiment_has_a_policy() -> None:
    assert set(ranking_policies()) == set(ARMS) == set(Experiment().arms)
    assert {CONTROL_ARM, TREATMENT_ARM} == {POPULARITY_ARM, PERSONALIZED_ARM}


def test_the_treatment_is_ordered_by_the_ranker_browse_included() -> None:
    policy = policy_for(PERSONALIZED_ARM)
    assert policy.order("relevance") == "relevance"
    assert policy.rank_browse


def test_the_control_serves_relevance_in_popularity_order_and_browse_as_stored() -> None:
    policy = policy_for(POPULARITY_ARM)
    assert policy.order("relevance") == "popularity"
    assert not policy.rank_browse


@pytest.mark.parametrize("arm", [None, "", "treatment-b", "Popularity"])
def test_no_arm_or_an_unknown_one_is_ranked_like_the_treatment(arm: str | None) -> None:
    assert policy_for(arm) == policy_for(PERSONALIZED_ARM) == RankingPolicy()


@pytest.mark.parametrize("arm", ARMS)
@pytest.mark.parametrize("sort", ["price_asc", "price_desc", "rating", "popularity", "newest"])
def test_a_chosen_sort_is_served_as_asked_in_every_arm(arm: str, sort: SortKey) -> None:
    assert policy_for(arm).order(sort) == sort


def test_the_table_is_read_only() -> None:
    with pytest.raises(TypeError):
        ranking_policies()[POPULARITY_ARM] = RankingPolicy()  # type: ignore[index]
