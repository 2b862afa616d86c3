"""The lexicons extraction reads: cue words and predicate families.

They live as dbt seeds (``dbt_project/seeds/*.csv``) so analysts edit one file
that both the extractor and the dbt models read.  Their content hash is part
of the extractor version, so an edited lexicon re-extracts the articles.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from pipelines.settings import SEEDS_DIR

CUE_LEXICON_FILE = "cue_lexicon.csv"
PREDICATE_TERMS_FILE = "predicate_terms.csv"

CUE_TYPES = ("verb", "adjective", "phrase")

# Irregular past forms of common cue verbs: the cheap candidate filter looks
# for surface forms before anything is parsed.
_IRREGULAR_FORMS = {
    "say": ("said",),
    "tell": ("told",),
    "write": ("wrote", "written"),
    "speak": ("spoke", "spoken"),
    "think": ("thought",),
    "hold": ("held",),
    "find": ("found",),
    "mean": ("meant",),
    "tweet": ("tweeted",),
    "see": ("saw", "seen"),
    "know": ("knew", "known"),
    "feel": ("felt",),
    "seek": ("sought",),
    "lay": ("laid",),
    "hop": ("hoped", "hoping"),
}


@dataclass(frozen=True)
class Cue:
    cue: str
    cue_type: str
    stance: str
    act: frozenset[str] = frozenset()
    """Flags from the seed's ``act`` column: "speech" for verbs of saying, whose reports count even
    inside another report's content; "noun" where the noun of the same word is a cue too ("his claim");
    "naming" for verbs that count only with an object complement or a clause ("called X a liar");
    "addressee" for verbs whose object is whom it is said to ("told reporters ...")."""


@dataclass(frozen=True)
class PredicateTerm:
    family_id: str
    term: tuple[str, ...]
    """Lemmas in order; other words may stand between them."""
    polarity: int
    context: frozenset[str]
    """Lemmas of which one must appear in the content; empty means no condition."""


@dataclass(frozen=True)
class Lexicon:
    cues: tuple[Cue, ...]
    predicate_terms: tuple[PredicateTerm, ...]
    digest: str
    """Short content hash of the lexicon files, part of the extractor version."""

    @cached_property
    def verb_cues(self) -> frozenset[str]:
        """Lemmas of cue verbs; for "point to" the verb is "point"."""
        return frozenset(c.cue.split()[0] for c in self.cues if c.cue_type == "verb")

    @cached_property
    def verb_particles(self) -> dict[str, frozenset[str]]:
        """For each cue verb, the particles or prepositions it needs: "" for the bare verb.

        A verb listed only as "point to" counts only with its "to"; a verb listed bare and
        with a preposition ("agree", "agree with") counts either way, and the preposition's
        object may be the content.  "that" is special: "find that" counts only with a
        clausal complement ("the poll found that ..."), with or without the word "that".
        """
        particles: dict[str, set[str]] = {}
        for cue in self.cues:
            if cue.cue_type == "verb":
                verb, _, particle = cue.cue.partition(" ")
                particles.setdefault(verb, set()).add(particle.strip())
        return {verb: frozenset(words) for verb, words in particles.items()}

    @cached_property
    def speech_cues(self) -> frozenset[str]:
        """Lemmas of cue verbs marked ``act = speech``: "X said Y told him ..." is a nested report."""
        return frozenset(c.cue.split()[0] for c in self.cues if "speech" in c.act)

    @cached_property
    def adjective_cues(self) -> frozenset[str]:
        return frozenset(c.cue for c in self.cues if c.cue_type == "adjective")

    @cached_property
    def naming_cues(self) -> frozenset[str]:
        """Verbs flagged ``naming``: they count only with an object complement or a clause
        ("called the plan a disaster"), not "called Sanders" (a phone call) or "so-called"."""
        return frozenset(c.cue for c in self.cues if c.cue_type == "verb" and "naming" in c.act)

    @cached_property
    def addressee_cues(self) -> frozenset[str]:
        """Verbs flagged ``addressee``: their object is whom it was said to ("told reporters the port would
        reopen"), not the subject of the reported clause that a parse left as the object ("said hundreds of
        fighters escaped", "reported Hamza to be dead")."""
        return frozenset(c.cue.split()[0] for c in self.cues if c.cue_type == "verb" and "addressee" in c.act)

    @cached_property
    def noun_cues(self) -> frozenset[str]:
        """Lemmas that count as nouns: one-word phrase cues ("criticism", "allegation") and the
        verbs flagged ``noun`` whose noun is the same word ("his claim that ...", "a promise to ...")."""
        single = {c.cue for c in self.cues if c.cue_type == "phrase" and " " not in c.cue}
        return frozenset(single | {c.cue for c in self.cues if c.cue_type == "verb" and "noun" in c.act})

    @cached_property
    def phrase_cues(self) -> tuple[str, ...]:
        return tuple(c.cue for c in self.cues if c.cue_type == "phrase")

    def surface_forms(self) -> frozenset[str]:
        """Lowercase word forms that make a sentence worth parsing."""
        forms: set[str] = set()
        for cue in self.cues:
            if cue.cue_type == "phrase":
                # The longest word: "according" for "according to", "poll" (not "in") for "in poll".
                forms.add(max(cue.cue.split(), key=len))
                if " " not in cue.cue:
                    forms.add(cue.cue + "s")  # a noun cue's plural
                continue
            forms.update(_inflections(cue.cue.split()[0]) if cue.cue_type == "verb" else (cue.cue,))
        return frozenset(forms)


def _inflections(lemma: str) -> tuple[str, ...]:
    stem = lemma[:-1] if lemma.endswith("e") and not lemma.endswith("ee") else lemma
    third = lemma + "es" if lemma.endswith(("s", "sh", "ch", "x", "z")) else lemma + "s"
    if lemma.endswith("y") and lemma[-2:-1] not in "aeiou":
        third = lemma[:-1] + "ies"
        past = lemma[:-1] + "ied"
    else:
        past = lemma + "d" if lemma.endswith("e") else lemma + "ed"
    forms = [lemma, third, past, stem + "ing"]
    if len(lemma) > 2 and lemma[-1] not in "aeiouwxy" and lemma[-2] in "aeiou" and lemma[-3] not in "aeiou":
        forms += [lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"]  # "admitted", "referring"
    return (*forms, *_IRREGULAR_FORMS.get(lemma, ()))


def _read_csv(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        raise FileNotFoundError(f"lexicon file {path} is missing; it is a dbt seed under dbt_project/seeds/")
    with path.open(newline="", encoding="utf-8") as handle:
        return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(handle)]


def load_lexicon(seeds_dir: Path = SEEDS_DIR) -> Lexicon:
    """Read the cue and predicate seeds; raise ``ValueError`` naming a bad row."""
    cue_path = seeds_dir / CUE_LEXICON_FILE
    term_path = seeds_dir / PREDICATE_TERMS_FILE
    cues = []
    for line, row in enumerate(_read_csv(cue_path), start=2):
        if row["cue_type"] not in CUE_TYPES:
            raise ValueError(f"{cue_path}:{line}: cue_type {row['cue_type']!r} is not one of {CUE_TYPES}")
        cues.append(Cue(cue=row["cue"].lower(), cue_type=row["cue_type"], stance=row["stance"],
                        act=frozenset((row.get("act") or "").lower().split())))
    terms = []
    for line, row in enumerate(_read_csv(term_path), start=2):
        if row["polarity"] not in ("1", "-1"):
            raise ValueError(f"{term_path}:{line}: polarity must be 1 or -1, got {row['polarity']!r}")
        terms.append(
            PredicateTerm(
                family_id=row["family_id"],
                term=tuple(row["term"].lower().split()),
                polarity=int(row["polarity"]),
                context=frozenset(w for w in row.get("context_lemmas", "").lower().split("|") if w),
            )
        )
    digest = hashlib.sha256(cue_path.read_bytes() + b"\0" + term_path.read_bytes()).hexdigest()[:8]
    return Lexicon(cues=tuple(cues), predicate_terms=tuple(terms), digest=digest)
