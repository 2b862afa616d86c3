"""Which range of daily partitions a refresh must process after ingestion.

The days holding articles the current extractor has not extracted or that
were loaded after the last publish (a stopped run resumes them); every day
when the dbt project (models or lexicons) changed since the last build, since
then the whole warehouse is rebuilt anyway.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from pipelines.defs.dbt.project import project_fingerprint
from pipelines.defs.partitions import partition_key_for
from pipelines.extraction.extractor import CODE_VERSION
from pipelines.extraction.lexicon import load_lexicon
from pipelines.storage import dbt_builds
from pipelines.storage import extractions as extraction_store


@dataclass(frozen=True)
class DayRange:
    first_key: str
    last_key: str
    reason: str

    def __str__(self) -> str:
        return f"{self.first_key}..{self.last_key} ({self.reason})"


def current_extractor_version() -> str:
    """The version Extractor() would report, without loading the language models."""
    return f"{CODE_VERSION}+lex.{load_lexicon().digest}"


def days_to_process(con: duckdb.DuckDBPyConnection) -> DayRange | None:
    """The partition range the next processing run must cover, or None when nothing changed."""
    bounds = extraction_store.article_days(con)
    if bounds is None:
        return None
    published_at = dbt_builds.last_published_at(con)
    if published_at is None:
        first, last, reason = *bounds, "never published: every day"
    elif dbt_builds.last_fingerprint(con) != project_fingerprint():
        first, last, reason = *bounds, "the dbt project changed: every day"
    else:
        pending = extraction_store.pending_days(con, current_extractor_version(), loaded_after=published_at)
        if not pending:
            return None
        first, last, reason = pending[0], pending[-1], f"{len(pending)} days with new articles"
    return DayRange(partition_key_for(first), partition_key_for(last), reason)
