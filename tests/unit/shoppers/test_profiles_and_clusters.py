"""RefreshProfiles and ReclusterShoppers: planted segments are found, labels survive refits."""

from collections import Counter
from datetime import timedelta

from adapters.learning.kmeans import SklearnClusterer
from application.shoppers.cluster_shoppers import DescribeClusters, ReclusterShoppers
from application.shoppers.refresh_profiles import RefreshProfiles
from domain.shoppers.model import Cluster
from tests.unit.fakes import FIXED_NOW, FakeClock
from tests.unit.segment_fakes import (
    SEGMENTS,
    InMemoryClusters,
    InMemoryEvents,
    InMemoryProfiles,
    segment_events,
)


def purity(profiles: InMemoryProfiles, truth: dict[str, str]) -> tuple[dict[str, int], float]:
    """Each true segment's majority cluster, and the share of shoppers in their segment's majority."""
    majority, agree = {}, 0
    for segment in SEGMENTS:
        labels = Counter(profiles.profiles[v].cluster for v, s in truth.items() if s == segment)
        label, count = labels.most_common(1)[0]
        majority[segment] = label
        agree += count
    return majority, agree / len(truth)


async def test_profiles_refresh_for_active_shoppers_only() -> None:
    events, _ = segment_events(FIXED_NOW, per_segment=3)
    source = InMemoryEvents(events)
    profiles = InMemoryProfiles()
    refresh = RefreshProfiles(source, profiles, InMemoryClusters(), FakeClock())
    active = {e.visitor_id for e in events if e.time >= FIXED_NOW - timedelta(minutes=10)}
    assert await refresh() == len(active)
    assert set(profiles.profiles) == active
    assert await refresh(["runners-0"]) == 1
    runner = profiles.profiles["runners-0"]
    assert runner.categories["shoes"] + runner.categories["sportswear"] > 0.6


async def test_planted_segments_are_found_and_labels_stay_stable_across_refits() -> None:
    events, truth = segment_events(FIXED_NOW, per_segment=30, seed=1)
    profiles, clusters = InMemoryProfiles(), InMemoryClusters()
    clock = FakeClock()
    await RefreshProfiles(InMemoryEvents(events), profiles, clusters, clock)(sorted(truth))
    recluster = ReclusterShoppers(profiles, clusters, SklearnClusterer(seed=0), clock)
    report = await recluster()
    assert report.status == "clustered"
    assert report.k == 3
    assert report.silhouette > 0.3
    first, agreement = purity(profiles, truth)
    assert agreement > 0.9
    assert len(set(first.values())) == 3  # three segments, three different clusters
    assert set(profiles.profiles["gamers-0"].cluster_categories) >= {"games", "consoles"}

    # New traffic, a different k-means seed: the labels keep their meaning.
    more, truth2 = segment_events(FIXED_NOW, per_segment=30, seed=2)
    await RefreshProfiles(InMemoryEvents(more), profiles, clusters, clock)(sorted(truth2))
    await ReclusterShoppers(profiles, clusters, SklearnClusterer(seed=7), clock)()
    second, agreement = purity(profiles, truth2)
    assert agreement > 0.9
    assert second == first


async def test_too_few_shoppers_are_not_clustered() -> None:
    events, truth = segment_events(FIXED_NOW, per_segment=2)
    profiles, clusters = InMemoryProfiles(), InMemoryClusters()
    await RefreshProfiles(InMemoryEvents(events), profiles, clusters, FakeClock())(sorted(truth))
    report = await ReclusterShoppers(profiles, clusters, SklearnClusterer(), FakeClock())()
    assert report.status == "skipped"
    assert clusters.clusters == []


async def test_cluster_readout_names_each_clusters_top_categories() -> None:
    clusters = InMemoryClusters()
    dims = ["category:bags", "category:shoes", "category:tv", "price:log_center"]
    await clusters.replace(
        [
            Cluster(cluster=1, size=5, centroid=[0.1, 0.7, 0.2, 0.4], dimensions=dims),
            Cluster(cluster=0, size=9, centroid=[0.0, 0.2, 0.8, 0.6], dimensions=dims),
        ],
        FIXED_NOW,
    )
    readout = await DescribeClusters(clusters, top=2)()
    assert [(s.cluster, s.users, s.top_categories) for s in readout] == [
        (0, 9, ["tv", "shoes"]),
        (1, 5, ["shoes", "tv"]),
    ]
