"""RefreshProfiles: rebuild the profiles of shoppers with recent events (every 5 minutes, and on demand)."""

from collections.abc import Sequence
from datetime import timedelta

import msgspec

from application.ports import Clock
from application.shoppers.ports import ClusterStore, ProfileStore, ShopperEventSource
from application.shoppers.profile_versions import ProfileVersions
from domain.ranking.model import ShopperProfile
from domain.shoppers.clustering import profile_matrix
from domain.shoppers.model import Cluster, ShopperEvent
from domain.shoppers.profiles import ProfileConfig, build_profile


class ProfilesConfig(msgspec.Struct, frozen=True):
    history_days: float = 90.0
    active_minutes: float = 10.0
    profile: ProfileConfig = ProfileConfig()


def nearest_cluster(profile: ShopperProfile, clusters: Sequence[Cluster]) -> Cluster | None:
    if not clusters:
        return None
    x = profile_matrix([profile], clusters[0].dimensions)[0]
    return min(clusters, key=lambda c: sum((a - b) ** 2 for a, b in zip(x, c.centroid, strict=True)))


class RefreshProfiles:
    def __init__(
        self,
        events: ShopperEventSource,
        profiles: ProfileStore,
        clusters: ClusterStore,
        clock: Clock,
        config: ProfilesConfig = ProfilesConfig(),
        versions: ProfileVersions | None = None,
    ) -> None:
        self.versions = versions
        self.events = events
        self.profiles = profiles
        self.clusters = clusters
        self.clock = clock
        self.config = config

    async def __call__(self, visitor_ids: Sequence[str] | None = None) -> int:
        """Rebuild the given shoppers, or those active in the last `active_minutes`; returns how many."""
        now = self.clock.now()
        if visitor_ids is None:
            active = await self.events.events_since(now - timedelta(minutes=self.config.active_minutes))
            visitor_ids = sorted({e.visitor_id for e in active})
        if not visitor_ids:
            return 0
        history = await self.events.events_since(now - timedelta(days=self.config.history_days), visitor_ids)
        by_visitor: dict[str, list[ShopperEvent]] = {}
        for event in history:
            by_visitor.setdefault(event.visitor_id, []).append(event)
        clusters = await self.clusters.current()
        built = []
        for visitor in visitor_ids:
            profile = build_profile(visitor, by_visitor.get(visitor, []), now, self.config.profile)
            cluster = nearest_cluster(profile, clusters)
            if cluster is not None:
                profile = msgspec.structs.replace(
                    profile, cluster=cluster.cluster, cluster_categories=cluster.categories()
                )
            built.append(profile)
        await self.profiles.save_many(built, now)
        if self.versions is not None:
            # After the save: a search that reads the new version also reads the new profile.
            await self.versions.bump([p.visitor_id for p in built])
        return len(built)
