"""A trained ranking model's record: what it was trained on, how it scored, whether it serves."""

from datetime import datetime

import msgspec


class ModelVersion(msgspec.Struct, frozen=True, kw_only=True):
    version: str
    created_at: datetime
    metrics: dict[str, float]
    features: tuple[str, ...]
    feature_version: str
    window_start: datetime | None = None
    window_end: datetime | None = None
    libraries: dict[str, str] = msgspec.field(default_factory=dict)
    position_bias: str = "ipw"  # how training corrected for position bias (versions before: "ipw")
    promoted: bool = False
