"""End to end: a messy folder is read and loaded; good articles load, the rest is quarantined."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from pipelines.ingestion import read_articles
from pipelines.storage.articles import load_records

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=timezone.utc)


def test_messy_folder(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "README.md").write_text("# About this corpus\n\nDocumentation, not an article.\n")
    (corpus / "good.txt").write_text(
        "Council approves new bridge\nSource: Valley Post\nPublished: 2026-03-03\n\n"
        "The city council said on Tuesday it had approved the new bridge.\n",
        encoding="utf-8",
    )
    (corpus / "empty.txt").write_bytes(b"")
    (corpus / "blob.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    (corpus / "feed.jsonl").write_text(
        json.dumps({"title": "Port strike ends", "text": "Dock workers said the strike was over.", "source": "Harbour News"})
        + "\n{this is not json\n",
        encoding="utf-8",
    )
    (corpus / "latin.txt").write_bytes(
        "Presupuesto aprobado en Logroño\n\nEl portavoz señaló que la decisión fue unánime.\n".encode("latin-1")
    )

    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    try:
        summary = load_records(con, read_articles([corpus], now=NOW), run_id="run-1")
        assert summary.n_read == 6
        assert summary.n_new_articles == 3
        assert summary.n_quarantined_new == 3
        assert summary.quarantine_reasons == {"binary_file": 1, "empty_file": 1, "invalid_json": 1}

        titles = {r[0] for r in con.execute("SELECT title FROM raw.articles").fetchall()}
        assert titles == {"Council approves new bridge", "Port strike ends", "Presupuesto aprobado en Logroño"}
        latin_text = con.execute("SELECT text FROM raw.articles WHERE origin_path LIKE '%latin.txt'").fetchone()
        assert latin_text == ("El portavoz señaló que la decisión fue unánime.",)

        quarantine = con.execute(
            "SELECT reason_code, origin_locator, parse_filename(origin_path) FROM raw.quarantine ORDER BY reason_code"
        ).fetchall()
        assert quarantine == [
            ("binary_file", "file", "blob.txt"),
            ("empty_file", "file", "empty.txt"),
            ("invalid_json", "line 2", "feed.jsonl"),
        ]

        counts = [con.execute(f"SELECT count(*) FROM raw.{t}").fetchone() for t in ("articles", "article_sources", "quarantine")]
        again = load_records(con, read_articles([corpus], now=NOW), run_id="run-2")
        assert (again.n_new_articles, again.n_new_sources, again.n_quarantined_new) == (0, 0, 0)
        assert again.n_duplicate_articles == 3
        assert [con.execute(f"SELECT count(*) FROM raw.{t}").fetchone() for t in ("articles", "article_sources", "quarantine")] == counts
    finally:
        con.close()
