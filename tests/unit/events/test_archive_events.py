"""ArchiveEvents with a fake archive: one cutoff, batch after batch until a short one, both logs."""

from datetime import datetime, timedelta

import pytest

from application.events.archive_events import ArchiveConfig, ArchivedLog, ArchiveEvents
from tests.unit.fakes import FIXED_NOW, FakeClock


class FakeArchive:
    """Rows as (log, occurred_at); moved rows go to `archived`."""

    def __init__(self, rows: dict[ArchivedLog, list[datetime]]) -> None:
        self.rows = rows
        self.archived: dict[ArchivedLog, list[datetime]] = {"events": [], "impressions": []}
        self.calls: list[tuple[ArchivedLog, datetime, int]] = []

    async def move_batch(self, log: ArchivedLog, before: datetime, limit: int, now: datetime) -> int:
        self.calls.append((log, before, limit))
        old = sorted(t for t in self.rows[log] if t < before)[:limit]
        for t in old:
            self.rows[log].remove(t)
        self.archived[log] += old
        return len(old)


def days_ago(*days: float) -> list[datetime]:
    return [FIXED_NOW - timedelta(days=d) for d in days]


async def test_old_rows_move_in_batches_and_recent_rows_stay() -> None:
    archive = FakeArchive({"events": days_ago(400, 300, 200, 181, 179, 1), "impressions": days_ago(365, 10)})
    run = ArchiveEvents(archive, FakeClock(), ArchiveConfig(retention_days=180, batch_size=2))
    report = await run()
    assert (report.events, report.impressions) == (4, 1)
    assert report.cutoff == FIXED_NOW - timedelta(days=180)
    assert archive.rows == {"events": days_ago(179, 1), "impressions": days_ago(10)}
    # events: 2 + 2 + 0 (a full batch means look again), impressions: 1.
    assert [c[0] for c in archive.calls] == ["events", "events", "events", "impressions"]
    assert report.batches == 3
    assert {c[1] for c in archive.calls} == {report.cutoff}
    again = await run()
    assert (again.events, again.impressions, again.batches) == (0, 0, 0)


@pytest.mark.parametrize(("days", "batch"), [(0, 10), (-5, 10), (180, 0), (180, 10_001)])
def test_nonsense_settings_are_refused(days: float, batch: int) -> None:
    with pytest.raises(ValueError, match=r"EVENT_RETENTION_DAYS|ARCHIVE_BATCH_SIZE"):
        ArchiveConfig(retention_days=days, batch_size=batch)
