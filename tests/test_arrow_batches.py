"""The Arrow batch function gives the same rows as the in-process extraction path."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from pipelines.extraction import ArticleText, Extractor
from pipelines.extraction import arrow_batches
from pipelines.ingestion import read_articles
from pipelines.settings import SAMPLE_CORPUS_DIR
from pipelines.storage import articles as article_store
from pipelines.storage import extractions as extraction_store


@pytest.fixture(scope="module")
def extracted_warehouse(tmp_path_factory: pytest.TempPathFactory, extractor: Extractor) -> Path:
    """The sample corpus loaded and extracted in-process (the default path), in a fresh warehouse."""
    path = tmp_path_factory.mktemp("arrow") / "claimhouse.duckdb"
    con = duckdb.connect(str(path))
    try:
        article_store.ensure_schema(con)
        article_store.load_records(con, read_articles([str(SAMPLE_CORPUS_DIR)]), run_id="test")
        articles = extraction_store.articles_by_id(con, extraction_store.article_ids_to_extract(con, extractor.version))
        tables = arrow_batches.to_tables(extractor.extract(articles), extractor.version)
        extraction_store.write_extractions(con, [a.article_id for a in articles], tables, extractor.version)
    finally:
        con.close()
    return path


@pytest.fixture(scope="module")
def article_batch(extracted_warehouse: Path) -> pa.Table:
    con = duckdb.connect(str(extracted_warehouse), read_only=True)
    try:
        return con.sql(
            "select article_id, title, text, published_at, "
            "cast(coalesce(published_at, first_loaded_at) as date) as day from raw.articles order by article_id"
        ).to_arrow_table()
    finally:
        con.close()


def test_columns_are_those_of_the_raw_tables(extracted_warehouse: Path) -> None:
    con = duckdb.connect(str(extracted_warehouse), read_only=True)
    try:
        for name, schema in arrow_batches.SCHEMAS.items():
            columns = [row[0] for row in con.execute(f"describe raw.{name}").fetchall()]  # noqa: S608 - constant
            assert schema.names == [*columns, "day"], name
    finally:
        con.close()


@pytest.mark.parametrize("batch_size", [500, 7])
def test_same_rows_as_in_process_path(
    extracted_warehouse: Path, article_batch: pa.Table, extractor: Extractor, batch_size: int
) -> None:
    tables = arrow_batches.extract_arrow(article_batch, extractor=extractor, batch_size=batch_size)
    con = duckdb.connect(str(extracted_warehouse), read_only=True)
    try:
        for name, table in zip(arrow_batches.SCHEMAS, tables):
            assert table.schema == arrow_batches.SCHEMAS[name]
            columns = ", ".join(c for c in table.schema.names if c != "day")
            expected = con.execute(f"select {columns} from raw.{name} order by all").fetchall()  # noqa: S608
            con.register("batch_rows", table)
            got = con.execute(f"select {columns} from batch_rows order by all").fetchall()  # noqa: S608
            con.unregister("batch_rows")
            assert len(got) == len(expected) > 0, name
            assert got == expected, name
            # every row carries its article's day
            con.register("batch_rows", table)
            assert con.execute(
                "select count(*) from batch_rows join raw.articles using (article_id) "
                "where batch_rows.day is distinct from cast(coalesce(published_at, first_loaded_at) as date)"
            ).fetchall() == [(0,)]
            con.unregister("batch_rows")
    finally:
        con.close()


def test_tagged_stream_round_trips(article_batch: pa.Table, extractor: Extractor) -> None:
    tables = arrow_batches.extract_arrow(article_batch.slice(0, 10), extractor=extractor)
    tagged = arrow_batches.tag(tables)
    assert tagged.schema == arrow_batches.TAGGED_SCHEMA
    assert tagged.num_rows == sum(t.num_rows for t in tables)
    assert all(a.equals(b) for a, b in zip(arrow_batches.untag(tagged), tables))


def test_empty_batch_gives_empty_tables(article_batch: pa.Table) -> None:
    tables = arrow_batches.extract_arrow(article_batch.slice(0, 0))
    assert [t.num_rows for t in tables] == [0, 0, 0]
    assert list(arrow_batches.extract_tagged(iter([]))) == []


def test_extractor_is_loaded_once_per_process() -> None:
    assert arrow_batches.get_extractor() is arrow_batches.get_extractor()


def test_each_extracted_article_records_the_rows_written_for_it(extracted_warehouse: Path) -> None:
    con = duckdb.connect(str(extracted_warehouse), read_only=True)
    try:
        counts = {name: f"(select count(*) from raw.{name} as rows where rows.article_id = articles.article_id)"
                  for name in ("sentences", "mentions", "attributions")}
        rows = con.execute(f"""
            select articles.article_id, done.n_sentences, done.n_mentions, done.n_attributions,
                {counts['sentences']}, {counts['mentions']}, {counts['attributions']}
            from raw.articles as articles
            left join raw.extracted_articles as done using (article_id)
        """).fetchall()  # noqa: S608 - constant table names
    finally:
        con.close()
    assert rows and all(row[1:4] == row[4:7] for row in rows), [row for row in rows if row[1:4] != row[4:7]][:3]
    assert any(row[3] == 0 for row in rows) and any(row[3] > 0 for row in rows)


def test_a_batch_written_again_replaces_its_rows_and_a_foreign_version_is_refused(
    extracted_warehouse: Path, tmp_path: Path, extractor: Extractor
) -> None:
    path = tmp_path / "copy.duckdb"
    shutil.copy(extracted_warehouse, path)
    con = duckdb.connect(str(path))
    try:
        ids = [row[0] for row in con.execute("select article_id from raw.articles order by 1 limit 3").fetchall()]
        texts = dict(con.execute("select article_id, text from raw.articles").fetchall())
        before = con.execute("select count(*) from raw.sentences").fetchone()
        tables = arrow_batches.to_tables(
            extractor.extract([ArticleText(i, texts[i]) for i in ids]), extractor.version
        )
        summary = extraction_store.write_extractions(con, ids, tables, extractor.version)
        assert summary.n_articles == 3 and summary.n_sentences == tables.sentences.num_rows > 0
        assert con.execute("select count(*) from raw.sentences").fetchone() == before
        with pytest.raises(ValueError, match="written as version"):
            extraction_store.write_extractions(con, ids, tables, "another-version")
        assert con.execute("select count(*) from raw.sentences").fetchone() == before
    finally:
        con.close()
