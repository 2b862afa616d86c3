"""Measure Claimhouse on real news (Wikinews) and write docs/real-news.md.

    python -m pipelines.real_news WAREHOUSE.duckdb docs/real-news.md [--labels docs/labels]

Reads a warehouse built over ``shared/corpora/wikinews/articles.jsonl`` (``make
real-news`` builds it first) and reports claims per article, the share of
claims whose speaker resolves to a canonical actor, top speakers and actor
types, contradictions by kind, and precision judged by hand on a fixed random
sample: ``SAMPLE_SIZE`` claims and up to ``SAMPLE_SIZE`` contradictions.

Labels live in ``docs/labels/real_news_claims.csv`` and
``docs/labels/real_news_contradictions.csv``, with the texts so that a reader
can audit them.  They are keyed by what was judged, not by warehouse ids
(claim ids change with every extractor version): a claim's ``claim_key``
hashes its article URL, sentence, speaker as written, cue and content
(whitespace normalised), so a label carries over to any later extraction that
yields the same claim, and is dropped from the count as soon as any judged part
changes.  A contradiction's ``contradiction_key`` hashes the pair of its claim
keys (in either order).  The samples are ordered by md5(key || seed), so a
claim that survives an extractor change stays in the sample.  Every run
recomputes the sample; a sampled row with no label yet is appended to the
labels file with an empty label and counted as "unlabelled".  Labels are never
deleted: rows that fell out of the sample stay in the file but do not count.
A label file written before keys existed (keyed by ``claim_id``) is migrated
in place: each row gets its key from the texts it stores.

A wrong label's ``reason`` starts with its error kind, then a colon ("not a
claim: ...", "speaker: ...", "content: ..."); the report counts the kinds.

Text shown comes from Wikinews (https://en.wikinews.org), by Wikinews
contributors, CC BY 2.5; each record's URL is kept beside its text.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import statistics
from pathlib import Path

import duckdb

SAMPLE_SIZE = 100
SEED = "claimhouse-real-news-1"
CLAIM_FIELDS = ["claim_key", "label", "reason", "speaker_text", "speaker_actor_id", "cue", "stance", "content",
                "sentence", "url", "claim_id", "extractor_version"]
CONTRADICTION_FIELDS = ["contradiction_key", "label", "reason", "kind", "score", "claim_speaker", "claim_cue",
                        "claim_content", "contradicting_speaker", "contradicting_cue", "contradicting_content",
                        "claim_sentence", "contradicting_sentence", "claim_url", "contradicting_url",
                        "claim_key", "contradicting_claim_key", "contradiction_id", "extractor_version"]
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


def _norm(text: object) -> str:
    return " ".join(str(text or "").split())


def claim_key(url: object, sentence: object, speaker_text: object, cue: object, content: object) -> str:
    """A claim's label key: what a labeller judged (the sentence, speaker as written, cue and content), hashed.

    It does not depend on warehouse ids or on the extractor version, only on the
    extracted texts, so a label survives any extractor change that leaves them alone.
    """
    parts = [_norm(url), _norm(sentence), _norm(speaker_text), _norm(cue).lower(), _norm(content)]
    return "k_" + hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def contradiction_key(key: str, other_key: str) -> str:
    """A contradiction's label key: the pair of its claims' keys, in either order."""
    return "xk_" + hashlib.sha256("|".join(sorted([key, other_key])).encode("utf-8")).hexdigest()[:16]


def _sample(items: list[dict], key: str) -> list[dict]:
    """Up to SAMPLE_SIZE items, one per key, ordered by md5(key || SEED): stable across extractor versions."""
    seen: dict[str, dict] = {}
    for item in sorted(items, key=lambda i: (i[key], str(i.get("contradiction_id") or i.get("claim_id")))):
        seen.setdefault(item[key], item)
    ordered = sorted(seen.values(), key=lambda i: hashlib.md5((i[key] + SEED).encode("utf-8")).hexdigest())
    return ordered[:SAMPLE_SIZE]


def all_claims(con: duckdb.DuckDBPyConnection) -> list[dict]:
    claims = rows(con, CLAIMS_WITH_TEXT)
    for c in claims:
        c["claim_key"] = claim_key(c["url"], c["sentence"], c["speaker_text"], c["cue"], c["content"])
    return claims


# The name_key macro (dbt_project/macros/text.sql) in DuckDB SQL: how claims join their speaker's resolution.
NAME_KEY_SQL = (
    r"regexp_replace(trim(regexp_replace(regexp_replace(regexp_replace(replace({0}, '’', ''''), "
    r"'''[sS]\b', '', 'g'), '\.', '', 'g'), '[^A-Za-z0-9-]+', ' ', 'g')), '^[Tt][Hh][Ee] ', '')"
)
ENTITY_LABELS = ("PERSON", "ORG", "GPE", "NORP")
ENTITY_SPEAKERS = f"""
    with claims as (select *, cast(published_at as date) as published_on from marts.fct_claims),
    entity_claims as (
        select distinct claims.claim_id
        from claims
        inner join staging.stg_mentions as m
            on m.article_id = claims.article_id and m.start_char < claims.speaker_end
            and m.end_char > claims.speaker_start
        where claims.speaker_kind = 'named' and m.entity_label in {ENTITY_LABELS}
    )
    select
        claims.claim_id, claims.speaker_name, claims.speaker_actor_id,
        coalesce(names.resolution_method, 'unresolved') as resolution_method, names.alias_source,
        actors.actor_source
    from claims
    inner join entity_claims using (claim_id)
    left join intermediate.int_actors_with_roots as actors on actors.actor_id = claims.speaker_actor_id
    left join intermediate.int_names_resolved_to_actors as names
        on names.name_key = {NAME_KEY_SQL.format('claims.speaker_name')}
        and names.published_on is not distinct from claims.published_on
"""

RESOLUTION_LABELS = {
    ("alias", "seed"): "an actor seed's alias (hand-written, overrides, CAMEO import)",
    ("fuzzy", "seed"): "a seed alias spelled differently (fuzzy)",
    ("alias", "article"): "an alias of the article: the surname after the full name, or a contextual short form",
    ("alias", "discovered"): "a discovered person or organization (canonical with discover_actors)",
    ("discovered", "discovered"): "a person or organization in no seed (discovered; no actor while discover_actors is off)",
    ("discovered", "article"): "the surname of a person in no seed (discovered; no actor while discover_actors is off)",
    ("ambiguous", "article"): "ambiguous: an in-article alias of several actors (two people of one surname, or another article of the day)",
    ("ambiguous", "seed"): "ambiguous: a seed alias of several actors on the day",
    ("several", "seed"): "several speakers: a coordination (\"Turkey and Libya\") of different actors",
    ("several", "article"): "several speakers: a coordination (\"Pierce and Hawkins\") of different actors",
    ("several", "discovered"): "several speakers: a coordination of different people or organizations",
    ("unresolved", None): "unresolved: no alias matches",
}


def sample_claims(con: duckdb.DuckDBPyConnection, claims: list[dict] | None = None) -> list[dict]:
    return _sample(all_claims(con) if claims is None else claims, "claim_key")


def all_contradictions(con: duckdb.DuckDBPyConnection, claims: list[dict] | None = None) -> list[dict]:
    by_id = {c["claim_id"]: c for c in (all_claims(con) if claims is None else claims)}
    pairs = rows(con, "select contradiction_id, claim_id, contradicting_claim_id, kind, score, proposition_id "
                      "from marts.fct_contradictions")
    out = []
    for x in pairs:
        c1, c2 = by_id.get(x["claim_id"]), by_id.get(x["contradicting_claim_id"])
        if c1 is None or c2 is None:
            continue
        out.append({
            **x,
            "claim_key": c1["claim_key"], "contradicting_claim_key": c2["claim_key"],
            "contradiction_key": contradiction_key(c1["claim_key"], c2["claim_key"]),
            "claim_speaker": c1["speaker_name"], "claim_cue": c1["cue"], "claim_content": c1["content"],
            "claim_sentence": c1["sentence"], "claim_url": c1["url"],
            "contradicting_speaker": c2["speaker_name"], "contradicting_cue": c2["cue"],
            "contradicting_content": c2["content"], "contradicting_sentence": c2["sentence"],
            "contradicting_url": c2["url"], "extractor_version": c1["extractor_version"],
        })
    return out


def sample_contradictions(con: duckdb.DuckDBPyConnection, claims: list[dict] | None = None) -> list[dict]:
    return _sample(all_contradictions(con, claims), "contradiction_key")


def _legacy_claim_key(row: dict, current: list[dict]) -> str:
    return claim_key(row.get("url"), row.get("sentence"), row.get("speaker_text"), row.get("cue"), row.get("content"))


def _pair_signature(row: dict, first: str, second: str) -> tuple:
    return tuple(_norm(row.get(f"{side}_{part}")) for side in (first, second)
                 for part in ("url", "sentence", "speaker", "content"))


def _legacy_contradiction_key(row: dict, current: list[dict]) -> str:
    """Rows labelled before keys existed kept each claim's URL, sentence, speaker name and content but not its
    speaker as written or cue: match them on those texts to today's contradictions (in either order)."""
    wanted = _pair_signature(row, "claim", "contradicting")
    for item in current:
        if wanted in (_pair_signature(item, "claim", "contradicting"), _pair_signature(item, "contradicting", "claim")):
            return item["contradiction_key"]
    return contradiction_key(claim_key(row.get("claim_url"), row.get("claim_sentence"), row.get("claim_speaker"),
                                       "", row.get("claim_content")),
                             claim_key(row.get("contradicting_url"), row.get("contradicting_sentence"),
                                       row.get("contradicting_speaker"), "", row.get("contradicting_content")))


LEGACY_KEYS = {"claim_key": _legacy_claim_key, "contradiction_key": _legacy_contradiction_key}


def load_labels(path: Path, key: str, fields: list[str], current: list[dict] | None = None) -> dict[str, dict]:
    """Label rows by key (a labelled row wins over an unlabelled one on a repeated key).

    A file written before keys existed (keyed by claim_id / contradiction_id) is migrated in place: each row
    gets its key from the texts it stores (matched against ``current``, today's rows, where texts are missing).
    """
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header = list(reader.fieldnames or [])
        label_rows = list(reader)
    if key not in header:
        for row in label_rows:
            row[key] = LEGACY_KEYS[key](row, current or [])
        write_labels(path, fields, label_rows)
    labels: dict[str, dict] = {}
    for row in label_rows:
        kept = labels.get(row[key])
        if kept is None or (not kept.get("label", "").strip() and row.get("label", "").strip()):
            labels[row[key]] = row
    return labels


def write_labels(path: Path, fields: list[str], label_rows: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        for row in label_rows:
            writer.writerow({f: ("" if row.get(f) is None else row.get(f)) for f in fields})


def sync_labels(path: Path, key: str, fields: list[str], sample: list[dict],
                current: list[dict] | None = None) -> dict[str, dict]:
    """Append sampled rows that have no label row yet; return all label rows by key."""
    labels = load_labels(path, key, fields, current if current is not None else sample)
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
    """(correct, wrong, unlabelled) over the sample."""
    judged = [labels[s[key]]["label"].strip().lower() for s in sample if s[key] in labels]
    correct = sum(1 for label in judged if label == "correct")
    wrong = sum(1 for label in judged if label == "wrong")
    return correct, wrong, len(sample) - correct - wrong


NOTES_FILE = "real_news_notes.md"


def error_kind(reason: str) -> str:
    """The error kind of a wrong label: its reason up to the first colon ("speaker: ..." -> "speaker")."""
    head = reason.split(":")[0].strip().lower()
    return head or "(no reason)"


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
    entity_speakers = rows(con, ENTITY_SPEAKERS)
    n_entity = len(entity_speakers)
    n_entity_resolved = sum(1 for r in entity_speakers if r["speaker_actor_id"])
    n_entity_discovered = sum(1 for r in entity_speakers if r["resolution_method"] == "discovered")
    n_entity_ambiguous = sum(1 for r in entity_speakers if r["resolution_method"] == "ambiguous")
    n_entity_seed = sum(1 for r in entity_speakers if r["speaker_actor_id"] and r["actor_source"] != "discovered")
    screen = rows(con, """
        select coalesce(not_a_claim_reason, '(a claim)') as reason, count(*) as n
        from intermediate.int_attributions_screened group by 1 order by n desc""")
    by_method: dict[tuple, int] = {}
    for r in entity_speakers:
        key = (r["resolution_method"], r["alias_source"])
        by_method[key] = by_method.get(key, 0) + 1
    contradictions = rows(con, "select kind, count(*) as n, round(avg(score), 2) as avg_score "
                               "from marts.fct_contradictions group by 1 order by n desc")
    n_contradictions = sum(r["n"] for r in contradictions)

    every_claim = all_claims(con)
    every_contradiction = all_contradictions(con, every_claim)
    claims = _sample(every_claim, "claim_key")
    contras = _sample(every_contradiction, "contradiction_key")
    claim_labels = sync_labels(labels_dir / "real_news_claims.csv", "claim_key", CLAIM_FIELDS, claims, every_claim)
    contra_labels = sync_labels(labels_dir / "real_news_contradictions.csv", "contradiction_key",
                                CONTRADICTION_FIELDS, contras, every_contradiction)
    c_ok, c_bad, c_unl = precision(claims, claim_labels, "claim_key")
    x_ok, x_bad, x_unl = precision(contras, contra_labels, "contradiction_key")

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
    w(f"| named speakers (speaker_kind `named`, as the extractor tags them) that resolve | "
      f"{fmt_share(named['n_resolved'], named['n'])} | |")
    w(f"| **speakers that are a named person, organization, government or country** (speaker_kind `named` and the "
      f"span holds a spaCy {'/'.join(ENTITY_LABELS)} entity) that resolve to a canonical actor | "
      f"{fmt_share(n_entity_resolved, n_entity)} | >= 80% |")
    w(f"| ... of which to an actor of the seeds (dictionaries, overrides), not one discovered in the articles | "
      f"{fmt_share(n_entity_seed, n_entity)} | |")
    if n_entity_discovered:
        w(f"| ... the same, counting people and organizations in no seed (discovered) as resolved | "
          f"{fmt_share(n_entity_resolved + n_entity_discovered, n_entity)} | |")
    w(f"| ... left ambiguous (an alias of several actors on the day; counted, never guessed) | "
      f"{fmt_share(n_entity_ambiguous, n_entity)} | |")
    judged = c_ok + c_bad
    w(f"| claim precision (hand-labelled sample) | {fmt_share(c_ok, judged)}; {wilson(c_ok, judged)}; "
      f"{c_unl} unlabelled | >= 0.85 |")
    judged_x = x_ok + x_bad
    w(f"| contradiction precision (hand-labelled sample) | {fmt_share(x_ok, judged_x)}; {wilson(x_ok, judged_x)}; "
      f"{x_unl} unlabelled | >= 0.70 |")
    w(f"| contradictions | {n_contradictions} | |")
    w(f"| ambiguous mentions (alias of several actors on the day; left unresolved) | {ambiguous} | |")
    w("")
    n_attributions = sum(r["n"] for r in screen)
    w("## From attributions to claims")
    w("")
    w(f"The extractor finds {n_attributions} attributions (PolNeAR's sense: statements, thoughts, wishes, "
      "questions); `intermediate.int_attributions_screened` keeps as claims those where someone states "
      "something that can be true or false, and gives the others a reason:")
    w("")
    w("| screen | attributions | share |")
    w("|---|---:|---:|")
    for r in screen:
        w(f"| {r['reason']} | {r['n']} | {fmt_share(r['n'], n_attributions).split(' ')[0]} |")
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
    w(f"How the {n_entity} speakers that are a named person, organization, government or country were resolved "
      "(`intermediate.int_names_resolved_to_actors`):")
    w("")
    w("| resolved by | claims | share |")
    w("|---|---:|---:|")
    for key, n in sorted(by_method.items(), key=lambda kv: (-kv[1], str(kv[0]))):
        label = RESOLUTION_LABELS.get(key, f"{key[0]} / {key[1]}")
        w(f"| {label} | {n} | {n / n_entity:.1%} |")
    w("")
    w("The denominator of the issue's target is the first table's bold row: speakers that are a named person, "
      "organization, government or country, told by the spaCy entity in their span (the extractor's speaker_kind "
      "`named` also covers \"you\", \"who\", \"police\", \"officials\"). People and organizations that no seed "
      "knows are discovered from the articles (`int_discovered_actors`, entity linking's NIL clusters) and become "
      "canonical actors of their own (the dbt var `discover_actors`, true by default; with false their claims stay "
      "unresolved).")
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
    w(f"Samples: {len(claims)} claims and {len(contras)} contradictions, ordered by md5(label key || `{SEED}`). "
      "A claim is correct only when its speaker, cue and content are all right; a contradiction only when both "
      "claims are about one proposition and cannot both be true. Labels and reasons: "
      "[`docs/labels/real_news_claims.csv`](labels/real_news_claims.csv), "
      "[`docs/labels/real_news_contradictions.csv`](labels/real_news_contradictions.csv).")
    w("")
    w(f"* claims: {c_ok} correct, {c_bad} wrong, {c_unl} unlabelled")
    w(f"* contradictions: {x_ok} correct, {x_bad} wrong, {x_unl} unlabelled")
    def error_kinds(sample: list[dict], labels: dict[str, dict], key: str) -> dict[str, int]:
        """Wrong labels by error kind: the reason's text before its first colon."""
        kinds: dict[str, int] = {}
        for s in sample:
            label = labels.get(s[key], {})
            if label.get("label", "").strip().lower() == "wrong":
                kind = error_kind(label.get("reason") or "")
                kinds[kind] = kinds.get(kind, 0) + 1
        return kinds

    for noun, kinds, total in (("claims", error_kinds(claims, claim_labels, "claim_key"), c_bad),
                               ("contradictions", error_kinds(contras, contra_labels, "contradiction_key"), x_bad)):
        if not kinds:
            continue
        w("")
        w(f"Why sampled {noun} are wrong (error kind: the reason's text before its first colon):")
        w("")
        w(f"| error kind | {noun} | share of wrong |")
        w("|---|---:|---:|")
        for kind, n in sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0])):
            w(f"| {cell(kind)} | {n} | {n / total:.0%} |")
    not_claims: dict[str, int] = {}
    for s in claims:
        label = claim_labels.get(s["claim_key"], {})
        if label.get("label", "").strip().lower() == "wrong" and error_kind(label.get("reason") or "") == "not a claim":
            not_claims[s["cue"] or "(none)"] = not_claims.get(s["cue"] or "(none)", 0) + 1
    if not_claims:
        w("")
        w("Cues of the sampled claims judged `not a claim` (candidates for the cue lexicon and the extractor's rules):")
        w("")
        w("| cue | claims |")
        w("|---|---:|")
        for cue, n in sorted(not_claims.items(), key=lambda kv: (-kv[1], kv[0]))[:20]:
            w(f"| {cell(cue)} | {n} |")
    notes = labels_dir / NOTES_FILE
    if notes.exists():
        w("")
        w("## What the errors say (analysis)")
        w("")
        w(f"Written by the labeller in [`docs/labels/{NOTES_FILE}`](labels/{NOTES_FILE}), from the labels above.")
        w("")
        w(notes.read_text(encoding="utf-8").strip())
    unlabelled = [s for s in claims if not claim_labels.get(s["claim_key"], {}).get("label", "").strip()]
    unlabelled_x = [s for s in contras if not contra_labels.get(s["contradiction_key"], {}).get("label", "").strip()]
    if unlabelled or unlabelled_x:
        w("")
        w("Unlabelled samples (label them in `docs/labels/`): "
          + ", ".join([f"`{s['claim_key']}`" for s in unlabelled] + [f"`{s['contradiction_key']}`" for s in unlabelled_x]))

    def show(title: str, picked: list[dict]) -> None:
        w("")
        w(f"### {title}")
        if not picked:
            w("")
            w("None in the sample.")
        for s in picked:
            label = contra_labels.get(s["contradiction_key"], {})
            w("")
            w(f"**{s['kind']}**, score {s['score']:.2f} (`{s['contradiction_key']}`) — "
              f"{label.get('label') or 'unlabelled'}: {label.get('reason', '')}")
            w("")
            w(f"* {cell(s['claim_speaker'], 80)} ({s['claim_cue']}): \"{cell(s['claim_sentence'], 400)}\" — "
              f"<{s['claim_url']}>")
            w(f"* {cell(s['contradicting_speaker'], 80)} ({s['contradicting_cue']}): "
              f"\"{cell(s['contradicting_sentence'], 400)}\" — <{s['contradicting_url']}>")

    def labelled(value: str) -> list[dict]:
        return [s for s in contras if contra_labels.get(s["contradiction_key"], {}).get("label", "").strip() == value]

    w("")
    w("## Best and worst contradictions")
    show("Best: highest-scored contradictions judged correct",
         sorted(labelled("correct"), key=lambda s: (-s["score"], s["contradiction_key"]))[:3])
    show("Worst: highest-scored contradictions judged wrong",
         sorted(labelled("wrong"), key=lambda s: (-s["score"], s["contradiction_key"]))[:3])
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
