"""The ranking context of a search: who asks, their profile and recent popularity.

Both reads are cached briefly so a search costs no extra database round trip in the common case:
profiles change when the profiles job runs (minutes) or right after the shopper's own events
(the cached copy is keyed on the profile's version, so a rebuilt one is read at once), recent
popularity over days.
"""

from datetime import datetime, timedelta
from typing import Protocol

import msgspec

from application.cached import cached
from application.ports import Cache, Clock
from application.search.dto import SearchRequest
from application.shoppers.ports import ProfileStore
from application.shoppers.profile_versions import ProfileVersions
from domain.ranking.model import RankingContext, ShopperProfile


class RecentPopularitySource(Protocol):
    async def counts(self, since: datetime) -> dict[str, float]:
        """Clicks and add-to-carts per sku since `since`."""
        ...


class PersonalConfig(msgspec.Struct, frozen=True):
    profile_ttl_seconds: float = 60.0
    popularity_window_days: float = 7.0
    popularity_ttl_seconds: float = 300.0


class _Cached(msgspec.Struct, frozen=True):
    profile: ShopperProfile | None = None


class ShopperContext:
    def __init__(
        self,
        profiles: ProfileStore,
        recent: RecentPopularitySource,
        cache: Cache,
        clock: Clock,
        config: PersonalConfig = PersonalConfig(),
        versions: ProfileVersions | None = None,
    ) -> None:
        self._versions = versions
        self._profiles = profiles
        self._recent = recent
        self._cache = cache
        self._clock = clock
        self._config = config

    async def __call__(self, request: SearchRequest) -> RankingContext:
        return await self.for_visitor(request.visitor_id, request.arm)

    async def for_visitor(self, visitor_id: str | None, arm: str | None) -> RankingContext:
        recent = await cached(
            self._cache,
            "search:recent-popularity",
            self._config.popularity_ttl_seconds,
            dict[str, float],
            self._recent_counts,
        )
        # The control arm's page ignores the profile, but the features logged with it use it: an
        # order blind to taste is the cleanest evidence of taste the ranker can learn from.
        profile = await self.profile(visitor_id) if visitor_id else None
        return RankingContext(visitor_id=visitor_id, arm=arm, profile=profile, recent_popularity=recent)

    async def profile(self, visitor_id: str) -> ShopperProfile | None:
        async def load() -> _Cached:
            return _Cached(await self._profiles.get(visitor_id))

        key = f"search:profile:{visitor_id}"
        if self._versions is not None:
            key += f":p{await self._versions.current(visitor_id)}"
        return (await cached(self._cache, key, self._config.profile_ttl_seconds, _Cached, load)).profile

    async def _recent_counts(self) -> dict[str, float]:
        since = self._clock.now() - timedelta(days=self._config.popularity_window_days)
        return await self._recent.counts(since)
