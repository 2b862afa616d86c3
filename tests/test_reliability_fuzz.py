"""Reliability under hostile input: property tests (Hypothesis) for ingestion and extraction.

Properties: reading never raises and accounts for every record (articles +
quarantine), loading puts every record in ``raw.articles`` or
``raw.quarantine`` and is idempotent, extraction never raises and its
offsets index the stored text exactly. Plus path safety (symlinks that leave
an ingested folder are refused) and size limits.

Deterministic: ``derandomize=True`` and no example database, so CI runs the
same examples every time. The module prints one summary line at the end
(``reliability fuzz: N cases tried, records lost: 0``).
"""

from __future__ import annotations

import json
import os
import tempfile
import tracemalloc
from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from pipelines.extraction import ArticleText, Extractor
from pipelines.ingestion import ArticleRecord, QuarantineRecord, ReasonCode, iter_input_files, read_articles
from pipelines.storage.articles import load_records

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=timezone.utc)
KNOWN_CODES = {v for k, v in vars(ReasonCode).items() if k.isupper()}
SUFFIXES = (".txt", ".md", ".html", ".json", ".jsonl", ".csv", ".parquet")

STATS = {"cases": 0, "records_lost": 0}


def fuzz(max_examples: int) -> settings:
    return settings(
        max_examples=max_examples,
        deadline=None,
        derandomize=True,
        database=None,
        print_blob=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )


@pytest.fixture(scope="module", autouse=True)
def _summary(pytestconfig: pytest.Config) -> Iterator[None]:
    yield
    line = f"\nreliability fuzz: {STATS['cases']} cases tried, records lost: {STATS['records_lost']}\n"
    capman = pytestconfig.pluginmanager.getplugin("capturemanager")
    if capman is not None:
        with capman.global_and_fixture_disabled():
            print(line, flush=True)
    else:
        print(line, flush=True)


def account(expected: int, got: int) -> None:
    """Count one case and any records lost, then assert nothing was lost."""
    STATS["cases"] += 1
    if got < expected:
        STATS["records_lost"] += expected - got
    assert got == expected, f"expected {expected} records (articles + quarantine), got {got}"


def read(*paths: Path, **kwargs: object) -> list[ArticleRecord | QuarantineRecord]:
    return list(read_articles(list(paths), now=NOW, **kwargs))  # type: ignore[arg-type]


def check_records(records: list[ArticleRecord | QuarantineRecord]) -> None:
    for rec in records:
        assert isinstance(rec, (ArticleRecord, QuarantineRecord)), rec
        if isinstance(rec, QuarantineRecord):
            assert rec.reason_code in KNOWN_CODES, rec
            assert rec.reason.strip() and len(rec.reason) > 15, rec
            assert len(rec.payload) <= 2000
        else:
            assert rec.text.strip() and rec.title is not None
            # Storable: no lone surrogates, no C0 controls other than \t \n \r.
            rec.text.encode("utf-8")
            rec.title.encode("utf-8")


# ----------------------------------------------------------------------------- strategies

# Characters that break naive code: controls, zero-width, bidi overrides, RTL and CJK
# scripts, combining marks, odd line breaks, quotes.
SPECIALS = (
    [chr(c) for c in range(0x00, 0x20)]
    + ["\x7f", "\x85", "\xa0", "\u2028", "\u2029", "\u000b", "\u000c"]
    + ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"]
    + ["\u202e", "\u202d", "\u200f", "\u200e", "\u061c", "\u2066", "\u2069"]
    + list("שלוםمرحبا中文日本語한국어Россия")
    + ["\u0301", "\u0308", "\U0001f600", "\U0001f1fa", "\U0001f1e6", "\ufffd"]
    + list("“”\"«»„'’:;.!?")
)
hostile_chars = st.one_of(st.characters(exclude_categories=("Cs",)), st.sampled_from(SPECIALS))
hostile_text = st.text(alphabet=hostile_chars, max_size=300)


@st.composite
def txt_documents(draw: st.DrawFn) -> str:
    """Arbitrary text, sometimes with a huge single line."""
    text = draw(hostile_text)
    if draw(st.integers(0, 4)) == 0:
        unit = draw(st.text(alphabet=hostile_chars, min_size=1, max_size=8))
        text += unit * draw(st.integers(1_000, 40_000))
    if draw(st.booleans()):
        text = "Headline\nSource: Fuzz\n\n" + text
    return text


json_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(alphabet=hostile_chars, max_size=30))
json_values = st.recursive(
    json_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from(["text", "body", "title", "url", "date", "author", "source", "x"]), inner, max_size=5),
    ),
    max_leaves=12,
)
jsonl_line = st.one_of(
    json_values.map(lambda v: json.dumps(v, ensure_ascii=False)),
    st.fixed_dictionaries({"text": st.text(alphabet=hostile_chars, max_size=80)}).map(json.dumps),
    st.text(alphabet=st.characters(exclude_categories=("Cs",), exclude_characters="\n\ufeff"), max_size=40),
    st.sampled_from(["", "   ", "\t", "\r", "{", "[[[", '{"text": "ok"}\r']),
)


# ----------------------------------------------------------------------------- ingestion


@fuzz(70)
@given(data=st.binary(max_size=1500), suffix=st.sampled_from(SUFFIXES))
@example(data=b"PAR1\x00\x00PAR1", suffix=".parquet")
@example(data=b"\xef\xbb\xbf", suffix=".jsonl")
@example(data=b"\xff\xfe\x00\xd8", suffix=".txt")
def test_arbitrary_bytes_never_raise(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"input{suffix}"
        path.write_bytes(data)
        records = read(path)
        check_records(records)
        STATS["cases"] += 1
        assert len(records) >= 1, "a file must yield at least one record"
        if suffix == ".parquet":
            assert all(isinstance(r, QuarantineRecord) for r in records)
        if suffix == ".jsonl" and not (len(records) == 1 and records[0].origin_locator == "file"):
            n_lines = len(data.split(b"\n"))
            locators = [r.origin_locator for r in records]
            assert len(set(locators)) == len(locators), locators
            assert all(loc.startswith("line ") and 1 <= int(loc[5:]) <= n_lines for loc in locators)


@fuzz(60)
@given(lines=st.lists(jsonl_line, min_size=1, max_size=8), crlf=st.booleans())
def test_jsonl_every_nonblank_line_is_accounted_for(lines: list[str], crlf: bool) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "feed.jsonl"
        path.write_bytes(("\r\n" if crlf else "\n").join(lines).encode("utf-8"))
        records = read(path)
        check_records(records)
        if len(records) == 1 and records[0].origin_locator == "file":
            # The whole file was refused: empty, or mostly control characters.
            assert records[0].reason_code in {ReasonCode.EMPTY_FILE, ReasonCode.BINARY_FILE}, records[0]
            STATS["cases"] += 1
            return
        nonblank = [n for n, ln in enumerate("\n".join(lines).split("\n"), start=1) if ln.rstrip("\r").strip()]
        account(len(nonblank), len(records))
        assert [r.origin_locator for r in records] == [f"line {n}" for n in nonblank]


@fuzz(40)
@given(docs=st.lists(st.tuples(txt_documents(), st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252"])), min_size=1, max_size=4))
@example(docs=[("Title\n\n" + "word " * 250_000, "utf-8")])  # 1.25M chars: article_too_large
@example(docs=[("\u200b\u200c\u200d\ufeff", "utf-8")])
@example(docs=[("Same story\n\nBody text.", "utf-8"), ("Same story\n\nBody text.", "utf-16")])
def test_text_files_load_completely_and_idempotently(docs: list[tuple[str, str]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "corpus"
        folder.mkdir()
        for i, (text, encoding) in enumerate(docs):
            (folder / f"doc{i}.txt").write_bytes(text.encode(encoding, "replace"))
        records = read(folder)
        check_records(records)
        account(len(docs), len(records))  # one record per .txt file, always
        for rec in records:
            if isinstance(rec, ArticleRecord):
                assert len(rec.text) <= 1_000_000
            elif rec.reason_code == ReasonCode.ARTICLE_TOO_LARGE:
                assert "1,000,000" in rec.reason

        con = duckdb.connect(str(Path(tmp) / "wh.duckdb"))
        try:
            load_records(con, records, run_id="fuzz-1")
            stored_ids = {r[0] for r in con.execute("select article_id from raw.articles").fetchall()}
            stored_hashes = {r[0] for r in con.execute("select content_hash from raw.articles").fetchall()}
            stored_q = {r[0] for r in con.execute("select quarantine_id from raw.quarantine").fetchall()}
            in_db = sum(
                (r.article_id in stored_ids or r.content_hash in stored_hashes)
                if isinstance(r, ArticleRecord)
                else r.quarantine_id in stored_q
                for r in records
            )
            STATS["records_lost"] += len(records) - in_db
            assert in_db == len(records), "a record is in neither raw.articles nor raw.quarantine"
            counts = [con.execute(f"select count(*) from raw.{t}").fetchone()[0] for t in ("articles", "quarantine", "article_sources")]
            again = load_records(con, read(folder), run_id="fuzz-2")
            assert (again.n_new_articles, again.n_quarantined_new, again.n_new_sources) == (0, 0, 0)
            assert counts == [con.execute(f"select count(*) from raw.{t}").fetchone()[0] for t in ("articles", "quarantine", "article_sources")]
        finally:
            con.close()


def _nested(kind: str, depth: int) -> str:
    if kind == "list":
        return "[" * depth + "]" * depth
    if kind == "object":
        return '{"a":' * depth + "1" + "}" * depth
    return '{"text": ' + "[" * depth + '"x"' + "]" * depth + "}"  # a text field of nested lists


@pytest.mark.parametrize("kind", ["list", "object", "text_field"])
@pytest.mark.parametrize("depth", [500, 10_000])
@pytest.mark.parametrize("suffix", [".json", ".jsonl"])
def test_deeply_nested_json_is_quarantined(tmp_path: Path, kind: str, depth: int, suffix: str) -> None:
    good = '{"text": "The port reopened on Monday, officials said."}'
    path = tmp_path / f"deep{suffix}"
    if suffix == ".jsonl":
        path.write_text(f"{_nested(kind, depth)}\n{good}\n", encoding="utf-8")
    else:
        path.write_text(f"[{_nested(kind, depth)}, {good}]" if depth < 900 else _nested(kind, depth), encoding="utf-8")
    records = read(path)
    check_records(records)
    quarantined = [r for r in records if isinstance(r, QuarantineRecord)]
    assert quarantined and all(r.reason_code != ReasonCode.READ_ERROR for r in quarantined), quarantined
    assert quarantined[0].reason_code in {ReasonCode.INVALID_JSON, ReasonCode.NOT_AN_OBJECT, ReasonCode.INVALID_FIELD, ReasonCode.MISSING_TEXT}
    if suffix == ".jsonl" or depth < 900:
        # The good record after the bad one is not lost.
        account(2, len(records))
        assert isinstance(records[1], ArticleRecord)


tags = st.sampled_from(["div", "span", "p", "section", "article", "main", "header", "footer", "ul", "li", "table", "td", "h1", "nav"])
no_lt = st.text(alphabet=st.characters(exclude_categories=("Cs",), exclude_characters="<>&"), max_size=60)


@st.composite
def html_without_text(draw: st.DrawFn) -> str:
    def block(depth: int) -> str:
        parts = []
        for _ in range(draw(st.integers(0, 3))):
            choice = draw(st.integers(0, 5 if depth < 4 else 3))
            if choice == 0:
                parts.append(f"<script>{draw(no_lt)}</script>")
            elif choice == 1:
                parts.append(f"<style>{draw(no_lt)}</style>")
            elif choice == 2:
                parts.append(f"<!--{draw(no_lt).replace('-', '')}-->")
            elif choice == 3:
                parts.append(draw(st.sampled_from(["<br>", "<hr>", '<img src="x.png">', "&nbsp;", " \n\t", "\u200b"])))
            else:
                tag = draw(tags)
                parts.append(f"<{tag}>{block(depth + 1)}</{tag}>")
        return "".join(parts)

    head = f"<head><title></title><script>{draw(no_lt)}</script><style>{draw(no_lt)}</style></head>"
    return f"<!DOCTYPE html><html>{head}<body>{block(0)}</body></html>"


@fuzz(25)
@given(page=html_without_text())
def test_html_without_text_is_quarantined_no_text(page: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "page.html"
        path.write_text(page, encoding="utf-8")
        records = read(path)
        check_records(records)
        account(1, len(records))
        assert isinstance(records[0], QuarantineRecord) and records[0].reason_code == ReasonCode.NO_TEXT, records[0]
        assert "No main article text" in records[0].reason


# ----------------------------------------------------------------------------- size limits


def test_file_cap_quarantines_with_clear_reason(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_text("Headline\n\n" + "x" * 5000, encoding="utf-8")
    [rec] = read(path, max_file_bytes=1000)
    assert isinstance(rec, QuarantineRecord) and rec.reason_code == ReasonCode.FILE_TOO_LARGE
    assert "5,010 bytes" in rec.reason and "limit of 1,000 bytes" in rec.reason and "max_file_bytes" in rec.reason
    assert len(rec.payload) <= 2000  # evidence, not a copy


def test_article_cap_quarantines_one_record_only(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_text(
        json.dumps({"text": "Short article, officials said."}) + "\n" + json.dumps({"text": "y" * 150}) + "\n",
        encoding="utf-8",
    )
    records = read(path, max_article_chars=100)
    assert isinstance(records[0], ArticleRecord)
    assert isinstance(records[1], QuarantineRecord) and records[1].reason_code == ReasonCode.ARTICLE_TOO_LARGE
    assert records[1].origin_locator == "line 2"
    assert "150 characters" in records[1].reason and "limit of 100" in records[1].reason


@pytest.mark.parametrize("suffix", [".jsonl", ".csv"])
def test_gigantic_line_is_refused_on_size_before_reading(tmp_path: Path, suffix: str) -> None:
    """A 2 GiB one-line file (sparse on disk) is refused on its size, without reading it into memory."""
    path = tmp_path / f"huge{suffix}"
    with open(path, "wb") as fh:
        fh.write(b'{"text": "' if suffix == ".jsonl" else b"text\n")
        fh.truncate(2 * 1024**3)
    tracemalloc.start()
    try:
        records = read(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    [rec] = records
    assert isinstance(rec, QuarantineRecord) and rec.reason_code == ReasonCode.FILE_TOO_LARGE
    assert "2,147,483,648 bytes" in rec.reason and "52,428,800" in rec.reason
    assert peak < 5 * 1024**2, f"peak memory {peak:,} bytes"


def test_file_cap_applies_to_jsonl_with_small_cap(tmp_path: Path) -> None:
    path = tmp_path / "one-line.jsonl"
    path.write_text(json.dumps({"text": "z" * 10_000}), encoding="utf-8")
    [rec] = read(path, max_file_bytes=4096)
    assert rec.reason_code == ReasonCode.FILE_TOO_LARGE


# ----------------------------------------------------------------------------- path safety

BODY = "The ferry service resumed on Tuesday, the harbour authority said."


def _article(path: Path, title: str = "Ferry resumes") -> Path:
    path.write_text(f"{title}\n\n{BODY}\n", encoding="utf-8")
    return path


def test_symlinked_file_outside_folder_is_refused(tmp_path: Path) -> None:
    secret = _article(tmp_path / "secret.txt", "Outside")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _article(corpus / "inside.txt")
    (corpus / "leak.txt").symlink_to(secret)
    records = read(corpus)
    by_name = {Path(r.origin_path).name: r for r in records}
    assert isinstance(by_name["inside.txt"], ArticleRecord)
    leak = by_name["leak.txt"]
    assert isinstance(leak, QuarantineRecord) and leak.reason_code == ReasonCode.UNSAFE_PATH
    assert str(corpus / "leak.txt") in leak.reason and str(secret) in leak.reason and "outside" in leak.reason
    assert "Outside" not in leak.payload
    assert all(not (isinstance(r, ArticleRecord) and r.title == "Outside") for r in records)
    assert [p.name for p in iter_input_files([corpus])] == ["inside.txt"]


def test_symlinked_dir_outside_folder_is_refused_not_walked(tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    _article(outside / "private.txt", "Private")
    corpus = tmp_path / "corpus"
    (corpus / "sub").mkdir(parents=True)
    (corpus / "sub" / "escape").symlink_to(outside, target_is_directory=True)
    (corpus / "up").symlink_to("..", target_is_directory=True)  # relative link to the parent
    records = read(corpus)
    assert all(isinstance(r, QuarantineRecord) and r.reason_code == ReasonCode.UNSAFE_PATH for r in records), records
    assert sorted(Path(r.origin_path).name for r in records) == ["escape", "up"]


def test_symlink_loops_never_hang(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    (corpus / "a").mkdir(parents=True)
    _article(corpus / "a" / "story.txt")
    (corpus / "a" / "self").symlink_to(corpus / "a", target_is_directory=True)  # dir loop, inside
    (corpus / "root").symlink_to(corpus, target_is_directory=True)  # link to the root itself
    (corpus / "x.txt").symlink_to(corpus / "y.txt")  # x -> y -> x
    (corpus / "y.txt").symlink_to(corpus / "x.txt")
    (corpus / "dangling.txt").symlink_to(corpus / "missing.txt")
    records = read(corpus)
    codes = {Path(r.origin_path).name: getattr(r, "reason_code", "article") for r in records}
    assert codes == {
        "story.txt": "article",
        "x.txt": ReasonCode.UNSAFE_PATH,
        "y.txt": ReasonCode.UNSAFE_PATH,
        "dangling.txt": ReasonCode.UNREADABLE_FILE,
    }, codes


def test_symlink_inside_folder_is_read_once(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    _article(corpus / "real.txt")
    (corpus / "alias.txt").symlink_to("real.txt")
    records = read(corpus)
    assert len(records) == 1 and isinstance(records[0], ArticleRecord)


def test_named_symlinks_are_followed(tmp_path: Path) -> None:
    target_dir = tmp_path / "data"
    target_dir.mkdir()
    _article(target_dir / "one.txt")
    other = tmp_path / "other"
    other.mkdir()
    _article(other / "two.txt", "Second story")
    links = tmp_path / "links"
    links.mkdir()
    (links / "corpus").symlink_to(target_dir, target_is_directory=True)
    (links / "file.txt").symlink_to(other / "two.txt")
    records = read(links / "corpus", links / "file.txt")
    assert [type(r).__name__ for r in records] == ["ArticleRecord", "ArticleRecord"]
    assert records[0].origin_path == str(links / "corpus" / "one.txt")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifo_inside_folder_is_refused_without_hanging(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    os.mkfifo(corpus / "pipe.txt")
    [rec] = read(corpus)
    assert rec.reason_code == ReasonCode.UNREADABLE_FILE and "not a regular file" in rec.reason


# ----------------------------------------------------------------------------- extraction


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


WORDS = [
    "said", "says", "denied", "warned", "according", "to", "told", "Reuters", "Russia", "NATO", "the",
    "Kremlin", "Moscow", "ministry", "he", "she", "it", "they", "not", "troops", "are", "withdrawing",
    "Ukraine", "Mr.", "Dr.", "U.S.", "claimed", "that", "is", "a", "lie",
]
PUNCT = ["“", "”", '"', "«", "»", "„", ":", ",", ".", "!", "?", "\n", "\n\n", " ", "—", "'", "’", "(", ")"]
extraction_text = st.lists(
    st.one_of(st.sampled_from(WORDS), st.sampled_from(PUNCT), st.text(alphabet=hostile_chars, max_size=6)),
    max_size=60,
).map(lambda parts: "".join(p if p in PUNCT else f"{p} " for p in parts))


def _check_span(text: str, start: int | None, end: int | None, value: str | None, what: str) -> None:
    if start is None or end is None:
        assert start is None and end is None, (what, start, end)
        return
    assert 0 <= start < end <= len(text), (what, start, end, len(text))
    assert text[start:end] == value, (what, text[start:end], value)


@fuzz(60)
@given(text=extraction_text)
@example(text='Kestria said: “We are leaving.” The ministry denied it, according to Reuters.')
@example(text="“" * 50 + "said" + "”" * 50)
@example(text="\u202eRussia said\u202c \u200bNATO\u200b denied « it » :\n\n: said")
@example(text="")
@example(text="said " * 400)
def test_extraction_offsets_index_the_text(extractor: Extractor, text: str) -> None:
    STATS["cases"] += 1
    result = extractor.extract([ArticleText("a", text)])
    for s in result.sentences:
        _check_span(text, s.start, s.end, s.text, "sentence")
    for m in result.mentions:
        _check_span(text, m.start, m.end, m.text, "mention")
    for a in result.attributions:
        _check_span(text, a.speaker_start, a.speaker_end, a.speaker_text, "speaker")
        _check_span(text, a.speaker_resolved_start, a.speaker_resolved_end, a.speaker_resolved_text, "speaker_resolved")
        _check_span(text, a.cue_start, a.cue_end, a.cue_text, "cue")
        _check_span(text, a.content_start, a.content_end, a.content_text, "content")
        _check_span(text, a.subject_start, a.subject_end, a.subject_text, "subject")
