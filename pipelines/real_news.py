"""Measure Claimhouse on real news (Wikinews) and write docs/real-news.md.

    python -m pipelines.real_news WAREHOUSE.duckdb docs/real-news.md [--labels docs/labels]

Reads a warehouse built over ``shared/corpora/wikinews/articles.jsonl`` (``make
real-news`` builds it first) and reports claims per article, the share of
claims whose speaker resolves to a canonical actor, top speakers and actor
types, contradictions by kind, and precision judged by hand on a fixed random
sample: ``SAMPLE_SIZE`` claims and up to ``SAMPLE_SIZE`` contradictions.

Labels live in ``docs/labels/real_news_claims.csv`` and
``docs/labels/real_news_contradictions.csv`` (keyed by claim_id /
contradiction_id, with the texts so that a reader can audit them).  Every run
recomputes the sample; a sampled row with no label yet is appended to the
labels file with an empty label and counted as "unlabelled".  Labels are never
deleted: rows that fell out of the sample (a new extractor version changes
claim ids) stay in the file but do not count.

Text shown comes from Wikinews (https://en.wikinews.org), by Wikinews
contributors, CC BY 2.5; each record's URL is kept beside its text.
"""

from __future__ import annotations

import argparse
import csv
import statistics
from pathlib import Path

import duckdb

SAMPLE_SIZE = 100
SEED = "claimhouse-real-news-1"
CLAIM_FIELDS = ["claim_id", "label", "reason", "speaker_text", "speaker_actor_id", "cue", "stance", "content",
                "sentence", "url", "extractor_version"]
CONTRADICTION_FIELDS = ["contradiction_id", "label", "reason", "kind", "score", "claim_speaker", "claim_content",
                        "contradicting_speaker", "contradicting_content", "claim_sentence", "contradicting_sentence",
                        "claim_url", "contradicting_url", "extractor_version"]
CREDIT = (
    "Text from Wikinews (https://en.wikinews.org), by Wikinews contributors, licensed "
    "[CC BY 2.5](https://creativecommons.org/licenses/by/2.5/); article URL given per record; "
    "sentences quoted as extracted (whitespace normalised)."
)


def rows(con: duckdb.DuckDBPyConnection, query: str, params: list | None = None) -> list[dict]:
    cursor = con.execute(query, params or [])
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r)) for r in cursor.fetchall()]


def scalar(con: duckdb.DuckDBPyConnection, query: str, params: list | None = None):
    return con.execute(query, params or []).fetchone()[0]


CLAIMS_WITH_TEXT = """
    select
        c.claim_id, c.article_id, c.speaker_text, c.speaker_name, c.speaker_kind, c.speaker_actor_id,
        c.cue, c.stance, c.content, c.proposition_id, c.polarity, c.extractor_version,
        a.url, a.title, s.sentence_text as sentence
    from marts.fct_claims as c
    inner join raw.articles as a on c.article_id = a.article_id
    left join raw.sentences as s
        on s.article_id = c.article_id and s.extractor_version = c.extractor_version
        and s.sentence_index = c.sentence_index
"""


def sample_claims(con: duckdb.DuckDBPyConnection) -> list[dict]:
    return rows(con, f"select * from ({CLAIMS_WITH_TEXT}) order by md5(claim_id || ?) limit ?", [SEED, SAMPLE_SIZE])


def sample_contradictions(con: duckdb.DuckDBPyConnection) -> list[dict]:
    return rows(
        con,
        f"""
        with claims as ({CLAIMS_WITH_TEXT})
        select
            x.contradiction_id, x.kind, x.score, x.proposition_id,
            c1.speaker_name as claim_speaker, c1.cue as claim_cue, c1.content as claim_content,
            c1.sentence as claim_sentence, c1.url as claim_url,
            c2.speaker_name as contradicting_speaker, c2.cue as contradicting_cue,
            c2.content as contradicting_content, c2.sentence as contradicting_sentence, c2.url as contradicting_url,
            c1.extractor_version
        from marts.fct_contradictions as x
        inner join claims as c1 on x.claim_id = c1.claim_id
        inner join claims as c2 on x.contradicting_claim_id = c2.claim_id
        order by md5(x.contradiction_id || ?) limit ?
        """,
        [SEED, SAMPLE_SIZE],
    )


def load_labels(path: Path, key: str) -> dict[str, dict]:
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        return {row[key]: row for row in csv.DictReader(handle)}


def sync_labels(path: Path, key: str, fields: list[str], sample: list[dict]) -> dict[str, dict]:
    """Append sampled rows that have no label row yet; return all label rows by key."""
    labels = load_labels(path, key)
    new = [s for s in sample if s[key] not in labels]
    if new:
        path.parent.mkdir(parents=True, exist_ok=True)
        exists = path.exists()
        with path.open("a", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=fields, extrasaction="ignore", lineterminator="\n")
            if not exists:
                writer.writeheader()
            for row in new:
                out = {f: ("" if row.get(f) is None else row.get(f)) for f in fields}
                out["label"], out["reason"] = "", ""
                writer.writerow(out)
                labels[row[key]] = out
    return labels


def precision(sample: list[dict], labels: dict[str, dict], key: str) -> tuple[int, int, int]:
    judged = [labels[s[key]]["label"].strip().lower() for s in sample if s[key] in labels]
    correct = sum(1 for label in judged if label == "correct")
    wrong = sum(1 for label in judged if label == "wrong")
    return correct, wrong, len(sample) - correct - wrong


def fmt_share(n: int, d: int) -> str:
    return f"{n / d:.1%} ({n}/{d})" if d else "n/a"


def wilson(n: int, d: int) -> str:
    if not d:
        return ""
    z = 1.96
    p = n / d
    centre = (p + z * z / (2 * d)) / (1 + z * z / d)
    half = z * ((p * (1 - p) / d + z * z / (4 * d * d)) ** 0.5) / (1 + z * z / d)
    return f"95% interval {max(0.0, centre - half):.2f}-{min(1.0, centre + half):.2f}"


def cell(text: object, limit: int = 160) -> str:
    value = "" if text is None else " ".join(str(text).split())
    if len(value) > limit:
        value = value[: limit - 1] + "…"
    return value.replace("|", "\\|")


def report(con: duckdb.DuckDBPyConnection, labels_dir: Path) -> str:
    n_articles = scalar(con, "select count(*) from raw.articles")
    n_quarantined = scalar(con, "select count(*) from raw.quarantine")
    per_article = [n for (n,) in con.execute(
        "select count(c.claim_id) from raw.articles a left join marts.fct_claims c using (article_id) group by a.article_id"
    ).fetchall()]
    n_claims = sum(per_article)
    versions = [v for (v,) in con.execute("select distinct extractor_version from marts.fct_claims order by 1").fetchall()]
    n_resolved = scalar(con, "select count(*) from marts.fct_claims where speaker_actor_id is not null")
    by_kind = rows(con, """
        select speaker_kind, count(*) as n, count(speaker_actor_id) as n_resolved
        from marts.fct_claims group by 1 order by n desc""")
    named = next((r for r in by_kind if r["speaker_kind"] == "named"), {"n": 0, "n_resolved": 0})
    top_speakers = rows(con, """
        select c.speaker_actor_id, d.name, d.actor_type, count(*) as n_claims, count(distinct c.article_id) as n_articles
        from marts.fct_claims c join marts.dim_actors d on c.speaker_actor_id = d.actor_id
        group by all order by n_claims desc, c.speaker_actor_id limit 15""")
    by_type = rows(con, """
        select coalesce(d.actor_type, '(unresolved)') as actor_type, count(*) as n_claims
        from marts.fct_claims c left join marts.dim_actors d on c.speaker_actor_id = d.actor_id
        group by 1 order by n_claims desc""")
    top_unresolved = rows(con, """
        select speaker_name, count(*) as n_claims, count(distinct article_id) as n_articles
        from marts.fct_claims where speaker_actor_id is null and speaker_kind = 'named'
        group by 1 order by n_claims desc, speaker_name limit 15""")
    ambiguous = scalar(con, "select coalesce(sum(n_ambiguous_mentions), 0) from marts.mart_unresolved_names")
    contradictions = rows(con, "select kind, count(*) as n, round(avg(score), 2) as avg_score "
                               "from marts.fct_contradictions group by 1 order by n desc")
    n_contradictions = sum(r["n"] for r in contradictions)

    claims = sample_claims(con)
    contras = sample_contradictions(con)
    claim_labels = sync_labels(labels_dir / "real_news_claims.csv", "claim_id", CLAIM_FIELDS, claims)
    contra_labels = sync_labels(labels_dir / "real_news_contradictions.csv", "contradiction_id",
                                CONTRADICTION_FIELDS, contras)
    c_ok, c_bad, c_unl = precision(claims, claim_labels, "claim_id")
    x_ok, x_bad, x_unl = precision(contras, contra_labels, "contradiction_id")

    out: list[str] = []
    w = out.append
    w("# Claimhouse on real news: Wikinews 2019-2020")
    w("")
    w("Generated by `make real-news` (`pipelines/real_news.py`) from a warehouse built over "
      "`shared/corpora/wikinews/articles.jsonl`. Do not edit by hand: edit the labels in `docs/labels/` "
      "and re-run.")
    w("")
    w(f"> {CREDIT}")
    w("")
    w(f"Extractor version(s) of the claims: {', '.join(f'`{v}`' for v in versions) or 'none'}.")
    w("")
    w("## Headline figures")
    w("")
    w("| measure | value | issue target |")
    w("|---|---|---|")
    w(f"| articles loaded / quarantined | {n_articles} / {n_quarantined} | every record loaded or quarantined |")
    mean = n_claims / n_articles if n_articles else 0
    median = statistics.median(per_article) if per_article else 0
    w(f"| claims | {n_claims} ({mean:.2f} per article, median {median:g}; "
      f"{sum(1 for n in per_article if n)} articles with at least one) | |")
    w(f"| claims whose speaker resolves to an actor | {fmt_share(n_resolved, n_claims)} | |")
    w(f"| named speakers (speaker_kind `named`) that resolve | {fmt_share(named['n_resolved'], named['n'])} | >= 80% |")
    judged = c_ok + c_bad
    w(f"| claim precision (hand-labelled sample) | {fmt_share(c_ok, judged)}; {wilson(c_ok, judged)}; "
      f"{c_unl} unlabelled | >= 0.85 |")
    judged_x = x_ok + x_bad
    w(f"| contradiction precision (hand-labelled sample) | {fmt_share(x_ok, judged_x)}; {wilson(x_ok, judged_x)}; "
      f"{x_unl} unlabelled | >= 0.70 |")
    w(f"| contradictions | {n_contradictions} | |")
    w(f"| ambiguous mentions (alias of several actors on the day; left unresolved) | {ambiguous} | |")
    w("")
    w("## Speakers")
    w("")
    w("Resolution by kind of speaker:")
    w("")
    w("| speaker_kind | claims | resolved | share |")
    w("|---|---:|---:|---:|")
    for r in by_kind:
        w(f"| {r['speaker_kind']} | {r['n']} | {r['n_resolved']} | {r['n_resolved'] / r['n']:.1%} |")
    w("")
    w("Top speaking actors:")
    w("")
    w("| actor_id | name | type | claims | articles |")
    w("|---|---|---|---:|---:|")
    for r in top_speakers:
        w(f"| {r['speaker_actor_id']} | {cell(r['name'])} | {r['actor_type']} | {r['n_claims']} | {r['n_articles']} |")
    w("")
    w("Claims by speaker actor type:")
    w("")
    w("| actor_type | claims |")
    w("|---|---:|")
    for r in by_type:
        w(f"| {r['actor_type']} | {r['n_claims']} |")
    w("")
    w("Most frequent named speakers that resolve to no actor (candidates for `actor_alias_overrides.csv`, "
      "or people outside any actor lexicon):")
    w("")
    w("| speaker | claims | articles |")
    w("|---|---:|---:|")
    for r in top_unresolved:
        w(f"| {cell(r['speaker_name'])} | {r['n_claims']} | {r['n_articles']} |")
    w("")
    w("## Contradictions by kind")
    w("")
    w("| kind | contradictions | mean score |")
    w("|---|---:|---:|")
    for r in contradictions:
        w(f"| {r['kind']} | {r['n']} | {r['avg_score']} |")
    w("")
    w("## Precision, judged by hand")
    w("")
    w(f"Samples: {len(claims)} claims and {len(contras)} contradictions, ordered by md5(id || `{SEED}`). "
      "A claim is correct only when its speaker, cue and content are all right; a contradiction only when both "
      "claims are about one proposition and cannot both be true. Labels and reasons: "
      "[`docs/labels/real_news_claims.csv`](labels/real_news_claims.csv), "
      "[`docs/labels/real_news_contradictions.csv`](labels/real_news_contradictions.csv).")
    w("")
    w(f"* claims: {c_ok} correct, {c_bad} wrong, {c_unl} unlabelled")
    w(f"* contradictions: {x_ok} correct, {x_bad} wrong, {x_unl} unlabelled")
    reasons: dict[str, int] = {}
    for s in claims:
        label = claim_labels.get(s["claim_id"], {})
        if label.get("label", "").strip().lower() == "wrong":
            head = (label.get("reason") or "").split(":")[0].strip() or "(no reason)"
            reasons[head] = reasons.get(head, 0) + 1
    if reasons:
        w("")
        w("Why sampled claims are wrong (first word of the reason):")
        w("")
        w("| reason | claims |")
        w("|---|---:|")
        for reason, n in sorted(reasons.items(), key=lambda kv: (-kv[1], kv[0])):
            w(f"| {cell(reason)} | {n} |")
    unlabelled = [s for s in claims if not claim_labels.get(s["claim_id"], {}).get("label", "").strip()]
    unlabelled_x = [s for s in contras if not contra_labels.get(s["contradiction_id"], {}).get("label", "").strip()]
    if unlabelled or unlabelled_x:
        w("")
        w("Unlabelled samples (label them in `docs/labels/`): "
          + ", ".join([f"`{s['claim_id']}`" for s in unlabelled] + [f"`{s['contradiction_id']}`" for s in unlabelled_x]))

    def show(title: str, picked: list[dict]) -> None:
        w("")
        w(f"### {title}")
        if not picked:
            w("")
            w("None in the sample.")
        for s in picked:
            label = contra_labels.get(s["contradiction_id"], {})
            w("")
            w(f"**{s['kind']}**, score {s['score']:.2f} (`{s['contradiction_id']}`) — "
              f"{label.get('label') or 'unlabelled'}: {label.get('reason', '')}")
            w("")
            w(f"* {cell(s['claim_speaker'], 80)} ({s['claim_cue']}): \"{cell(s['claim_sentence'], 400)}\" — "
              f"<{s['claim_url']}>")
            w(f"* {cell(s['contradicting_speaker'], 80)} ({s['contradicting_cue']}): "
              f"\"{cell(s['contradicting_sentence'], 400)}\" — <{s['contradicting_url']}>")

    def labelled(value: str) -> list[dict]:
        return [s for s in contras if contra_labels.get(s["contradiction_id"], {}).get("label", "").strip() == value]

    w("")
    w("## Best and worst contradictions")
    show("Best: highest-scored contradictions judged correct",
         sorted(labelled("correct"), key=lambda s: (-s["score"], s["contradiction_id"]))[:3])
    show("Worst: highest-scored contradictions judged wrong",
         sorted(labelled("wrong"), key=lambda s: (-s["score"], s["contradiction_id"]))[:3])
    w("")
    w("---")
    w("")
    w(CREDIT)
    w("")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("warehouse", type=Path)
    parser.add_argument("output", type=Path)
    parser.add_argument("--labels", type=Path, default=Path("docs/labels"))
    args = parser.parse_args(argv)
    con = duckdb.connect(str(args.warehouse), read_only=True)
    try:
        text = report(con, args.labels)
    finally:
        con.close()
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
