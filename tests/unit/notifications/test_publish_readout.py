"""The daily readout notice carries the readout's figures, only when a webhook subscribes."""

from collections.abc import Mapping
from datetime import timedelta

import msgspec

from application.analytics.read_analytics import DEFAULT_DAYS, ReadAnalytics
from application.notifications.publish_readout import PublishReadout, ReadoutNotice
from application.notifications.webhooks import NewWebhook, Webhook
from tests.unit.analytics.test_read_analytics import SPLIT, TODAY, FakeSummaries, _clusters
from tests.unit.fakes import FIXED_NOW


class FakeWebhooks:
    def __init__(self, *events: tuple[str, ...]) -> None:
        self.hooks = [
            Webhook(
                id=i + 1,
                url="https://x.example/",
                events=e,
                description=None,
                created_at=FIXED_NOW,
                created_by="ada",
                secret="s",
            )
            for i, e in enumerate(events)
        ]

    async def active(self) -> list[Webhook]:
        return self.hooks

    async def add(self, webhook: NewWebhook) -> Webhook:
        raise NotImplementedError

    async def get(self, webhook_id: int) -> Webhook | None:
        return None

    async def deactivate(self, webhook_id: int) -> Webhook | None:
        return None


class Notices:
    def __init__(self) -> None:
        self.published: list[tuple[str, dict[str, object]]] = []

    async def publish(self, kind: str, data: Mapping[str, object]) -> None:
        self.published.append((kind, dict(data)))


async def test_nothing_is_read_or_published_without_a_subscriber() -> None:
    summaries, notices = FakeSummaries(), Notices()
    analytics = ReadAnalytics(summaries, _clusters, SPLIT, lambda: TODAY)
    report = await PublishReadout(analytics, FakeWebhooks(("model.promoted",)), notices)()
    assert report == ReadoutNotice(status="skipped") and notices.published == [] and summaries.asked == []


async def test_the_readout_figures_of_the_default_window_are_published() -> None:
    notices = Notices()
    analytics = ReadAnalytics(FakeSummaries(), _clusters, SPLIT, lambda: TODAY)
    webhooks = FakeWebhooks(
        ("experiment.readout",), ("experiment.readout", "model.promoted"), ("model.promoted",)
    )
    report = await PublishReadout(analytics, webhooks, notices)()
    assert report == ReadoutNotice(status="published", subscribers=2)
    ((kind, data),) = notices.published
    readout = await analytics(DEFAULT_DAYS)
    assert kind == "experiment.readout"
    assert data == {
        "days": DEFAULT_DAYS, "since": TODAY - timedelta(days=DEFAULT_DAYS - 1), "until": TODAY,
        "method": readout.method, "verdict": readout.verdict, "arms": readout.arms,
        "comparison": readout.comparison, "sample_ratio": readout.sample_ratio,
    }  # fmt: skip
    assert msgspec.to_builtins(data)["arms"]["personalized"]["searches"] == 10
