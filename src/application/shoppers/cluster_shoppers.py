"""ReclusterShoppers: k-means on profiles, k by silhouette (2..8), labels kept stable across refits."""

import asyncio

import msgspec
import numpy as np

from application.ports import Clock
from application.shoppers.ports import Clusterer, ClusterStore, KMeansFit, ProfileStore
from domain.shoppers.clustering import dimensions, profile_matrix, stable_labels
from domain.shoppers.model import Cluster


class ClusteringConfig(msgspec.Struct, frozen=True):
    min_k: int = 2
    max_k: int = 8
    min_shoppers: int = 10


class ClusteringReport(msgspec.Struct, frozen=True):
    status: str  # "clustered" or "skipped"
    k: int = 0
    silhouette: float = 0.0
    shoppers: int = 0


class ReclusterShoppers:
    def __init__(
        self,
        profiles: ProfileStore,
        clusters: ClusterStore,
        clusterer: Clusterer,
        clock: Clock,
        config: ClusteringConfig = ClusteringConfig(),
    ) -> None:
        self.profiles = profiles
        self.clusters = clusters
        self.clusterer = clusterer
        self.clock = clock
        self.config = config

    async def __call__(self) -> ClusteringReport:
        profiles = [p for p in await self.profiles.all() if p.categories]
        if len(profiles) < max(self.config.min_shoppers, self.config.min_k + 1):
            return ClusteringReport(status="skipped", shoppers=len(profiles))
        dims = dimensions([c for p in profiles for c in p.categories])
        x = profile_matrix(profiles, dims)
        fit = await asyncio.to_thread(self._best_fit, x)
        previous = await self.clusters.current()
        # Compare with the previous centroids on this fit's dimensions (new categories start at 0).
        old = None
        if previous:
            old = np.zeros((len(previous), len(dims)))
            for row, cluster in enumerate(previous):
                for dim, value in zip(cluster.dimensions, cluster.centroid, strict=True):
                    if dim in dims:
                        old[row, dims.index(dim)] = value
        new_centroids = np.asarray(fit.centroids)
        relabel = stable_labels(old, new_centroids)
        if previous:
            old_ids = [c.cluster for c in previous]
            relabel = [
                old_ids[r] if r < len(old_ids) else max(old_ids) + 1 + r - len(old_ids) for r in relabel
            ]
        sizes = np.bincount(np.asarray(fit.labels), minlength=len(new_centroids))
        clusters = [
            Cluster(
                cluster=relabel[i],
                size=int(sizes[i]),
                centroid=[float(v) for v in new_centroids[i]],
                dimensions=dims,
            )
            for i in range(len(new_centroids))
        ]
        now = self.clock.now()
        await self.clusters.replace(clusters, now)
        by_label = {c.cluster: c for c in clusters}
        updated = [
            msgspec.structs.replace(
                p,
                cluster=relabel[label],
                cluster_categories=by_label[relabel[label]].categories(),
            )
            for p, label in zip(profiles, fit.labels, strict=True)
        ]
        await self.profiles.save_many(updated, now)
        return ClusteringReport(
            status="clustered", k=len(clusters), silhouette=fit.silhouette, shoppers=len(profiles)
        )

    def _best_fit(self, x: np.ndarray) -> KMeansFit:
        distinct = len(np.unique(x, axis=0))
        top = min(self.config.max_k, distinct - 1, len(x) - 1)
        fits = [self.clusterer.fit(x, k) for k in range(self.config.min_k, max(top, self.config.min_k) + 1)]
        return max(fits, key=lambda f: f.silhouette)


class ClusterSummary(msgspec.Struct, frozen=True):
    """One line of the analytics readout: `{cluster, users, top_categories}`."""

    cluster: int
    users: int
    top_categories: list[str]


class DescribeClusters:
    def __init__(self, clusters: ClusterStore, top: int = 3) -> None:
        self.clusters = clusters
        self.top = top

    async def __call__(self) -> list[ClusterSummary]:
        summaries = []
        for cluster in await self.clusters.current():
            shares = cluster.categories()
            ranked = sorted((c for c, v in shares.items() if v > 0), key=lambda c: (-shares[c], c))
            summaries.append(ClusterSummary(cluster.cluster, cluster.size, ranked[: self.top]))
        return sorted(summaries, key=lambda s: s.cluster)
