"""Deterministic experiment arms: the same id always lands in the same arm."""

import hashlib
from typing import Final

import msgspec

from domain.experiments.model import ARMS

BUCKETS: Final = 10_000


class Experiment(msgspec.Struct, frozen=True, kw_only=True):
    salt: str = "search-ranking-v1"
    arms: tuple[str, ...] = ARMS
    # Each arm's share, in the order of `arms`; normalised, so (1, 1) means half and half.
    split: tuple[float, ...] = (0.5, 0.5)

    def __post_init__(self) -> None:
        if not self.arms or len(self.arms) != len(self.split):
            raise ValueError("an experiment needs one split share per arm")
        if any(share < 0 for share in self.split) or sum(self.split) <= 0:
            raise ValueError("split shares must be non-negative and not all zero")


def bucket(visitor_id: str, salt: str) -> int:
    """A stable bucket in [0, BUCKETS) from SHA-256 of salt and id (uniform, unlike hash())."""
    digest = hashlib.sha256(f"{salt}:{visitor_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big") % BUCKETS


def assign_arm(visitor_id: str, experiment: Experiment) -> str:
    position = bucket(visitor_id, experiment.salt) / BUCKETS
    total = sum(experiment.split)
    edge = 0.0
    for arm, share in zip(experiment.arms, experiment.split, strict=True):
        edge += share / total
        if position < edge:
            return arm
    return experiment.arms[-1]


def user_visitor_id(user_id: int) -> str:
    return f"user:{user_id}"


def anonymous_visitor_id(anonymous_id: str) -> str:
    return f"anon:{anonymous_id}"
