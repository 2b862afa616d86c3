"""Daily partitions by publication day, and the day window a run covers.

An article's day is the UTC calendar day it was published (the day it was
first loaded when it carries no date).  Everything from extraction down is
partitioned by that day; ingestion is not, because one file or feed poll
brings articles of many days.  The first partition also holds older
articles and the last (today) any dated in the future, so every article
belongs to exactly one partition.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

import dagster as dg

from pipelines.settings import partitions_start

daily_partitions = dg.DailyPartitionsDefinition(
    start_date=partitions_start(), end_offset=1, timezone="UTC", fmt="%Y-%m-%d"
)

# The tags Dagster gives a run of one partition, or of a range of them in one run.
PARTITION_TAG = "dagster/partition"
PARTITION_RANGE_START_TAG = "dagster/asset_partition_range_start"
PARTITION_RANGE_END_TAG = "dagster/asset_partition_range_end"

# Every partitioned asset takes a whole range of days in one run: a backfill
# of a year is one extraction pass and one dbt build, not 365 of them.
single_run_backfill = dg.BackfillPolicy.single_run()


@dataclass(frozen=True)
class DayWindow:
    """Inclusive day bounds of a run; None means open on that side."""

    first: date | None
    last: date | None

    def as_dbt_vars(self) -> dict[str, str]:
        return {
            "min_day": self.first.isoformat() if self.first else "",
            "max_day": self.last.isoformat() if self.last else "",
        }

    def as_dbt_env(self) -> dict[str, str]:
        """The same bounds as the environment variables the dbt macro ``in_run_days`` reads first."""
        return {f"CLAIMHOUSE_{name.upper()}": value for name, value in self.as_dbt_vars().items()}

    def __str__(self) -> str:
        return f"{self.first or 'the beginning'} .. {self.last or 'the end'}"


def day_window(context: dg.AssetExecutionContext) -> DayWindow:
    """The days this run covers, open-ended at the first and last partition."""
    if not context.has_partition_key_range and not context.has_partition_key:
        return DayWindow(None, None)
    keys = context.partition_key_range
    return _window_of(keys.start, keys.end)


def run_tags_day_window(tags: Mapping[str, str]) -> DayWindow:
    """The days a run covers, read from its tags (one partition or a range of them), for the steps
    that have no partitions of their own, such as asset checks; open on both sides without them."""
    start = tags.get(PARTITION_RANGE_START_TAG) or tags.get(PARTITION_TAG)
    end = tags.get(PARTITION_RANGE_END_TAG) or tags.get(PARTITION_TAG)
    return _window_of(start, end) if start and end else DayWindow(None, None)


def _window_of(start_key: str, end_key: str) -> DayWindow:
    first, last = date.fromisoformat(start_key), date.fromisoformat(end_key)
    open_start = start_key == daily_partitions.get_first_partition_key()
    open_end = end_key == daily_partitions.get_last_partition_key()
    return DayWindow(None if open_start else first, None if open_end else last)


def partition_key_for(day: date) -> str:
    """The partition a day's articles belong to (clamped to the partitions' range)."""
    first = date.fromisoformat(daily_partitions.get_first_partition_key())
    last = date.fromisoformat(daily_partitions.get_last_partition_key())
    return max(first, min(day, last)).isoformat()
