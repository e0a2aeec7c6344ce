"""The daily `experiment.readout` notice: the experiment's figures as GET /api/analytics gives
them for its default window, for the webhooks subscribed to it."""

import msgspec

from application.analytics.read_analytics import DEFAULT_DAYS, ReadAnalytics
from application.notifications.ports import ChangeNotices
from application.notifications.webhooks import WebhookStore

READOUT = "experiment.readout"
PUBLISH_READOUT = "publish_readout"  # the job's name in the registry


class ReadoutNotice(msgspec.Struct, frozen=True):
    status: str  # "published", or "skipped" when no webhook subscribes
    subscribers: int = 0


class PublishReadout:
    def __init__(self, analytics: ReadAnalytics, webhooks: WebhookStore, notices: ChangeNotices) -> None:
        self.analytics = analytics
        self.webhooks = webhooks
        self.notices = notices

    async def __call__(self) -> ReadoutNotice:
        subscribers = [w for w in await self.webhooks.active() if READOUT in w.events]
        if not subscribers:  # the readout is not worth reading for nobody
            return ReadoutNotice(status="skipped")
        report = await self.analytics(DEFAULT_DAYS)
        data = {
            "days": report.days,
            "since": report.since,
            "until": report.until,
            "method": report.method,
            "verdict": report.verdict,
            "arms": report.arms,
            "comparison": report.comparison,
            "sample_ratio": report.sample_ratio,
        }
        await self.notices.publish(READOUT, data)
        return ReadoutNotice(status="published", subscribers=len(subscribers))
