"""The dbt text macros give the same values on Spark as on DuckDB.

The models call ``normalize_name``, ``name_key``, ``split_words``,
``list_length``, ``word_ngram`` and ``name_similarity`` through
``adapter.dispatch``: DuckDB runs the ``default__`` SQL, Spark the ``spark__``
SQL.  Each pair is rendered from ``dbt_project/macros/text.sql`` and run on the
same inputs in DuckDB and in one local Spark session (``local[2]``).
Skipped when pyspark (the ``spark`` extra) or Java is missing.
"""

import importlib.util
import random
import re
import shutil

import duckdb
import jinja2
import pytest

from pipelines.settings import DBT_PROJECT_DIR, SEEDS_DIR

_reason = None
if importlib.util.find_spec("pyspark") is None:
    _reason = "pyspark is not installed: install the spark extra (pip install .[spark])"
elif shutil.which("java") is None:
    _reason = "Java (17) is not installed: the Spark engine needs openjdk-17-jre-headless"
pytestmark = pytest.mark.skipif(_reason is not None, reason=_reason or "")

MACROS = (DBT_PROJECT_DIR / "macros" / "text.sql").read_text()

NAMES = [
    "The Kremlin's", "the Kremlin’s spokesman", "U.S.", "WHO", "who", "NATO Secretary-General",
    "Valdorian Defense Ministry", "Côte d'Ivoire", "  Oskel  ", "President Joe Biden", "the UN's",
    "Ministry of Defence (Brenmark)", "A", "", "Kestria-Today", "THE WHO'S director",
]


def render(name: str, *args: str) -> str:
    """The SQL of one macro of text.sql, rendered with plain Jinja (these macros need no dbt context)."""
    match = re.search(r"{%-? macro " + name + r"\(.*?{%-? endmacro %}", MACROS, re.S)
    assert match, name
    call = ", ".join(repr(a) for a in args)
    return jinja2.Environment().from_string(match.group(0) + "{{ " + name + "(" + call + ") }}").render().strip()


@pytest.fixture(scope="module")
def spark():
    from pipelines.engines.spark_session import build_spark_session

    session = build_spark_session("claimhouse-macro-tests", extra_conf={"spark.sql.ansi.enabled": "false"})
    yield session
    session.stop()


def _pairs() -> list[tuple[str, str]]:
    rng = random.Random(7)
    con = duckdb.connect()
    aliases = [
        row[0].lower()
        for row in con.execute(
            "select distinct alias from read_csv(?, all_varchar = true) where alias is not null order by alias",
            [str(SEEDS_DIR / "cameo_actor_aliases.csv")],
        ).fetchall()
    ]
    con.close()
    pairs = [("pollen", "polen"), ("martha", "marhta"), ("dixon", "dicksonx"), ("ab", "ba"), ("abc", "cba"),
             ("a", "a"), ("a", "b"), ("", ""), ("a", ""), ("crate", "trace"), ("jones", "johnson")]
    for _ in range(400):
        left = rng.choice(aliases)
        right = rng.choice(aliases) if rng.random() < 0.4 else "".join(c for c in left if rng.random() > 0.12)
        pairs.append((left, right))
    for _ in range(100):
        pairs.append(tuple("".join(rng.choice("ab") for _ in range(rng.randint(1, 7))) for _ in range(2)))
    return pairs


@pytest.mark.parametrize("macro", ["normalize_name", "name_key"])
def test_text_normalization_same_on_both_engines(spark, macro: str) -> None:
    con = duckdb.connect()
    duck = [con.execute(f"select {render('default__' + macro, '$1')}", [n]).fetchall()[0][0] for n in NAMES]
    con.close()
    frame = spark.createDataFrame([(n,) for n in NAMES], "n string")
    got = [row[0] for row in frame.selectExpr(f"{render('spark__' + macro, 'n')} as v").collect()]
    assert got == duck


def test_word_ngrams_same_on_both_engines(spark) -> None:
    name = "nato secretary-general of the alliance"
    con = duckdb.connect()
    words = render("default__split_words", "$1")
    duck = con.execute(
        f"select {render('default__list_length', words)}, "
        + ", ".join(f"{render('default__word_ngram', words, str(s), str(n))}" for s in (1, 2, 3) for n in (1, 2, 3)),
        [name],
    ).fetchall()[0]
    con.close()
    words = render("spark__split_words", "n")
    got = tuple(
        spark.createDataFrame([(name,)], "n string").selectExpr(
            f"{render('spark__list_length', words)}",
            *(f"{render('spark__word_ngram', words, str(s), str(n))}" for s in (1, 2, 3) for n in (1, 2, 3)),
        ).collect()[0]
    )
    assert got == duck


def test_name_similarity_is_duckdbs_jaro_winkler(spark) -> None:
    pairs = _pairs()
    con = duckdb.connect()
    expected = [
        con.execute(f"select {render('default__name_similarity', '$1', '$2')}", list(pair)).fetchall()[0][0]
        for pair in pairs
    ]
    con.close()
    frame = spark.createDataFrame(pairs, "l string, r string")
    got = [row[0] for row in frame.selectExpr(f"{render('spark__name_similarity', 'l', 'r')} as v").collect()]
    # The same figures; a handful differ in the last bit of the double (summation order).
    assert [round(g, 12) for g in got] == [round(e, 12) for e in expected]
    assert sum(g == e for g, e in zip(got, expected)) >= 0.95 * len(pairs)
    # the model's threshold decides the same way
    assert [g >= 0.93 for g in got] == [e >= 0.93 for e in expected]


def test_raw_views_over_the_parquet_handoff(spark, tmp_path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from pipelines.engines.spark_catalog import register_raw_views

    for day, ids in {"2026-03-02": ["a1", "a2"], "2026-03-03": ["a3"]}.items():
        folder = tmp_path / "attributions" / f"day={day}"
        folder.mkdir(parents=True)
        pq.write_table(pa.table({"attribution_id": ids}), folder / "part-0.parquet")
    assert register_raw_views(spark, str(tmp_path), ["attributions"], database="raw_test") == ["raw_test.attributions"]
    rows = spark.sql("select attribution_id, cast(day as string) from raw_test.attributions order by 1").collect()
    assert [tuple(r) for r in rows] == [("a1", "2026-03-02"), ("a2", "2026-03-02"), ("a3", "2026-03-03")]
