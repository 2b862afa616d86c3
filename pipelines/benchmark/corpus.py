"""A synthetic news corpus for benchmarks: deterministic, any size, streamed to JSONL.

Every sentence is composed here from the project's own templates and word
lists; no text is copied from anywhere.  The corpus imitates the shape of real
political news:

* a world of invented states (name, nationality adjective, capital, regions),
  their governments, ministries, armies and office holders with titles
  ("Foreign Minister Mira Tolvek", "a spokesperson for the Korlandic Defence
  Ministry"), international bodies, drug makers, engineering firms and
  publishers: thousands of actors, each named in several ways;
* storylines (a subject, a predicate family from ``predicate_terms.csv``, two
  sides and an outside voice) whose claims are asserted, repeated, denied,
  doubted and contradicted across days and publishers, with the cue verbs of
  ``cue_lexicon.csv``, indirect speech and direct quotes ("... ," she said);
* one storyline in six about the seed actors (Valdoria, Kestria, the Northern
  Compact, Meridian Pharma, ...), so that claims resolve and contradictions
  appear in the marts; the invented actors stay unresolved, which is fine;
* articles of a few hundred to about two thousand words, of which roughly 15-25%
  of sentences are attributed, the rest background (places, figures, weather,
  logistics, history) written to carry no cue word;
* about 2% syndicated duplicates (same title and text, another publisher and
  URL), and about 0.5% malformed records (broken JSON lines, missing text,
  absurd dates), which ingestion must quarantine.

Each record depends only on (seed, index), so output is byte-identical for the
same arguments, any size streams in constant memory, and ``--offset`` makes a
disjoint follow-up batch (the benchmark's incremental run).  Output: JSONL files
of ``--per-file`` records (``part-<first index>.jsonl``) and a ``_manifest.json``
(skipped by ingestion, like every ``_``-prefixed name) with the counts.

    python -m pipelines.benchmark.corpus --articles 10000 --seed 7 /tmp/corpus
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from pathlib import Path

__all__ = ["World", "build_world", "iter_records", "generate", "main", "DUPLICATE_SHARE", "MALFORMED_SHARE"]

DUPLICATE_SHARE = 0.02
MALFORMED_SHARE = 0.005
MALFORMED_KINDS = ("broken_json", "missing_text", "absurd_date")
DEFAULT_PER_FILE = 10_000
# Dates: about this many articles a day from BASE_DATE on (1M articles end in late 2024).
ARTICLES_PER_DAY = 1000
BASE_DATE = datetime(2022, 1, 3, tzinfo=timezone.utc)
# Storylines: each block of consecutive articles covers this many storylines.
STORY_BLOCK = 200
STORIES_PER_BLOCK = 8
SEED_STORY_EVERY = 6  # every sixth storyline is about the seed actors
NON_POLITICAL_SHARE = 0.1

_MASK = (1 << 63) - 1

# ----------------------------------------------------------------------------- names

_ONSETS = ("b", "br", "c", "d", "dr", "f", "g", "gr", "h", "k", "kr", "l", "m", "n", "p", "r", "s", "st",
           "t", "tr", "v", "vr", "z", "sk", "th", "ar", "el", "or", "an", "is")
_NUCLEI = ("a", "e", "i", "o", "u", "ae", "ei", "ou", "ia", "y")
_CODAS = ("", "", "", "n", "r", "l", "s", "k", "m", "th", "v", "rn", "nd", "sk", "lt")
_COUNTRY_ENDINGS = (("ia", "ian"), ("ora", "oran"), ("avia", "avian"), ("enia", "enian"), ("and", "andic"),
                    ("esh", "eshi"), ("ova", "ovan"), ("ar", "ari"), ("ania", "anian"), ("istra", "istran"))
_DRUG_ENDINGS = ("exin", "omab", "avir", "oline", "azole", "iprin", "umab", "ostat")
_DISEASES = ("river fever", "marsh cough", "the grey flu", "hill fever", "winter ague", "coastal measles")
_INFRA = (("dam", "collapse"), ("pipeline", "explosion"), ("bridge", "collapse"), ("power station", "fire"),
          ("reservoir dam", "collapse"), ("gas terminal", "explosion"))
_PUBLISHER_FORMS = ("{c} Herald", "{c} Ledger", "The {a} Courier", "{c} Evening Post", "{r} Wire", "{c} Tribune",
                    "{a} Broadcasting", "The {c} Observer", "{r} Daily", "{c} Gazette", "{a} News Agency",
                    "{r} Dispatch")
_SYNDICATION = ("Continental Wire", "Pressline", "Global Desk", "Harbor Ledger", "Northern Newswire",
                "Eastgate Syndicate")


def _seed_of(*parts: int) -> int:
    value = 0x2545F4914F6CDD1D
    for part in parts:
        value = ((value ^ (part & _MASK)) * 0x100000001B3 + 0x9E3779B97F4A7C15) & _MASK
    return value


@lru_cache(maxsize=1)
def _cue_forms() -> frozenset[str]:
    """Word forms of the cue lexicon: invented names must not contain one."""
    from pipelines.extraction.lexicon import load_lexicon

    return load_lexicon().surface_forms()


def _clean_name(name: str) -> bool:
    return not any(word.lower() in _cue_forms() for word in name.split())


class _Namer:
    """Invented, pronounceable, unique names."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()

    def _syllable(self) -> str:
        rng = self.rng
        return rng.choice(_ONSETS) + rng.choice(_NUCLEI) + rng.choice(_CODAS)

    def word(self, syllables: tuple[int, int] = (2, 3), ending: str = "", max_len: int = 14) -> str:
        while True:
            stem = "".join(self._syllable() for _ in range(self.rng.randint(*syllables)))
            stem = re.sub(r"(.)\1\1+", r"\1\1", stem)
            name = (stem + ending).capitalize()
            if 4 <= len(name) <= max_len and name not in self.used and _clean_name(name):
                self.used.add(name)
                return name

    def person(self) -> str:
        return f"{self.word((1, 2), max_len=8)} {self.word((2, 3), max_len=11)}"


# ----------------------------------------------------------------------------- world


@dataclass(frozen=True)
class Speaker:
    """One way to name a speaking actor in text, and the pronoun for a follow-up quote."""

    full: str  # first mention: "Foreign Minister Mira Tolvek"
    short: str  # later mention: "Tolvek"
    pronoun: str  # "he", "she", "it", "they"


@dataclass
class Country:
    name: str
    adj: str
    capital: str
    regions: list[str]
    towns: list[str]
    speakers: list[Speaker]


@dataclass
class Side:
    """Speakers on one side of a storyline and what they assert (polarity of the claim)."""

    speakers: list[Speaker]
    polarity: int


@dataclass
class Story:
    family: str
    subject: str  # "Korlandia", "Velomab", "the Tarn Valley dam"
    slots: dict[str, str]
    pro: Side
    con: Side
    outside: list[Speaker]
    a: Country  # the countries the background sentences talk about
    b: Country
    seed_actors: bool = False


@dataclass
class World:
    countries: list[Country]
    orgs: list[list[Speaker]]
    companies: list[tuple[str, list[Speaker]]]
    experts: list[Speaker]
    publishers: list[tuple[str, str, list[str]]]  # name, domain, authors
    drugs: list[str]
    infra: list[tuple[str, str]]
    n_actors: int


def _pronoun(rng: random.Random) -> str:
    return rng.choice(("he", "she"))


def _country(namer: _Namer, rng: random.Random) -> tuple[Country, int]:
    ending, adj_ending = rng.choice(_COUNTRY_ENDINGS)
    name = namer.word((1, 2), ending)
    adj = name[: len(name) - len(ending)] + adj_ending
    capital = namer.word((2, 2))
    regions = [namer.word((2, 2)) for _ in range(2)]
    towns = [namer.word((1, 2)) for _ in range(3)]
    president, fm, dm, im, hm, spokes = (namer.person() for _ in range(6))
    p = [_pronoun(rng) for _ in range(6)]
    head = rng.choice(("President", "Prime Minister"))
    speakers = [
        Speaker(name, name, "it"),
        Speaker(f"the {adj} government", "the government", "it"),
        Speaker(capital, capital, "it"),
        Speaker(f"{head} {president}", president.split()[1], p[0]),
        Speaker(f"{president}, the {adj} {head.lower()},", president.split()[1], p[0]),
        Speaker(f"Foreign Minister {fm}", fm.split()[1], p[1]),
        Speaker(f"{fm}, the {adj} foreign minister,", fm.split()[1], p[1]),
        Speaker(f"the {adj} Foreign Ministry", "the ministry", "it"),
        Speaker(f"a spokesperson for the {adj} Foreign Ministry", "the spokesperson", "they"),
        Speaker(f"Defence Minister {dm}", dm.split()[1], p[2]),
        Speaker(f"the {adj} Defence Ministry", "the ministry", "it"),
        Speaker(f"a spokesperson for the {adj} Defence Ministry", "the spokesperson", "they"),
        Speaker(f"the {adj} army", "the army", "it"),
        Speaker(f"Interior Minister {im}", im.split()[1], p[3]),
        Speaker(f"Health Minister {hm}", hm.split()[1], p[4]),
        Speaker(f"{spokes}, a government spokesperson,", spokes.split()[1], p[5]),
        Speaker(f"officials in {capital}", "the officials", "they"),
    ]
    # Actors: state, government, 4 ministries, army, 5 office holders, spokesperson.
    return Country(name, adj, capital, regions, towns, speakers), 13


@lru_cache(maxsize=4)
def build_world(seed: int, n_countries: int = 320) -> World:
    """The invented world of a seed: thousands of actors, each named in several ways."""
    rng = random.Random(_seed_of(seed, 1))
    namer = _Namer(rng)
    countries, n_actors = [], 0
    for _ in range(n_countries):
        country, n = _country(namer, rng)
        countries.append(country)
        n_actors += n
    orgs = []
    for _ in range(40):
        word = namer.word((2, 2))
        kind = rng.choice(("Council", "Union", "Pact", "Commission", "League", "Assembly", "Forum"))
        org = f"the {word} {kind}"
        chief = namer.person()
        orgs.append([
            Speaker(org, org, "it"),
            Speaker(f"a spokesperson for {org}", "the spokesperson", "they"),
            Speaker(f"{word} {kind} Secretary-General {chief}", chief.split()[1], _pronoun(rng)),
            Speaker(f"monitors from {org}", "the monitors", "they"),
        ])
        n_actors += 2
    companies = []
    for _ in range(40):
        word = namer.word((2, 2))
        kind = rng.choice(("Pharma", "Therapeutics", "Biologics", "Engineering", "Works", "Holdings"))
        name = f"{word} {kind}"
        ceo = namer.person()
        companies.append((name, [
            Speaker(name, word, "it"),
            Speaker(f"a spokesperson for {name}", "the spokesperson", "they"),
            Speaker(f"{ceo}, the chief executive of {name},", ceo.split()[1], _pronoun(rng)),
        ]))
        n_actors += 2
    experts = []
    for _ in range(120):
        person = namer.person()
        uni = namer.word((2, 2))
        experts.append(Speaker(f"Dr. {person}, a researcher at {uni} University,", person.split()[1],
                               _pronoun(rng)))
        n_actors += 2
    publishers = []
    for _ in range(80):
        country = rng.choice(countries)
        form = rng.choice(_PUBLISHER_FORMS)
        name = form.format(c=country.capital, a=country.adj, r=rng.choice(country.regions))
        domain = re.sub(r"[^a-z0-9]+", "-", name.lower().removeprefix("the ")).strip("-") + ".example"
        publishers.append((name, domain, [namer.person() for _ in range(6)]))
        n_actors += 1
    for name in _SYNDICATION:
        domain = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") + ".example"
        publishers.append((name, domain, [namer.person() for _ in range(6)]))
    drugs = [namer.word((1, 2), rng.choice(_DRUG_ENDINGS)) for _ in range(60)]
    infra = [(f"{namer.word((1, 2))} Valley", kind) for kind, _ in (rng.choice(_INFRA) for _ in range(60))]
    return World(countries, orgs, companies, experts, publishers, drugs, infra, n_actors)


# ----------------------------------------------------------------------------- claims

# Clause templates per predicate family (predicate_terms.csv) and polarity.
_CLAUSES: dict[str, dict[int, tuple[str, ...]]] = {
    "troop_posture": {
        -1: ("{S} is withdrawing its troops from the border with {T}",
             "{S} has begun to pull back its units from the border",
             "the {Sadj} army is ending its exercises near {T} and returning its troops to base",
             "{Sadj} forces are pulling out of the {R} region",
             "{S} is reducing troop numbers along the border with {T}"),
        1: ("{S} is sending more troops to the border with {T}",
            "{S} has deployed new battalions near the border with {T}",
            "the {Sadj} army is massing tanks along the border with {T}",
            "{S} is reinforcing its units in the {R} region",
            "{Sadj} troops are building up near the border instead of leaving"),
    },
    "military_attack": {
        1: ("{S} is preparing to invade {T}",
            "{S} plans to launch an offensive against {T} within weeks",
            "{Sadj} forces are getting ready to attack {T} from the {R} region"),
        -1: ("{S} has no plan to invade {T}",
             "{Sadj} forces are not preparing an offensive against {T}"),
    },
    "treatment_efficacy": {
        1: ("{S} is effective against {D}",
            "{S} works against {D}",
            "{S} is safe and effective for patients with {D}",
            "the trial results for {S} were strong"),
        -1: ("{S} is ineffective against {D}",
             "{S} failed to help patients with {D} in the trial",
             "{S} brought no benefit to patients with {D}",
             "the {S} trial was flawed"),
    },
    "election_integrity": {
        1: ("the {Sadj} election was free and fair",
            "the vote in {S} was legitimate",
            "the count in the {Sadj} election was fair"),
        -1: ("the {Sadj} election was rigged",
             "the vote in {S} was fraudulent",
             "the results of the {Sadj} vote were manipulated"),
    },
    "sabotage": {
        1: ("the {K} at the {S} {I} was sabotage",
            "the {K} at the {S} {I} was a deliberate attack",
            "saboteurs caused the {K} at the {S} {I}"),
        -1: ("the {K} at the {S} {I} was an accident",
             "a structural failure caused the {K} at the {S} {I}",
             "the {K} at the {S} {I} was the result of an accident, not sabotage"),
    },
}

_ASSERT = ("{Sp} said {c}.", "{Sp} said on {W} that {c}.", "{Sp} announced that {c}.", "{Sp} insisted that {c}.",
           "According to {Sp}, {c}.", "{Sp} told reporters that {c}.", "{Sp} confirmed that {c}.",
           "{Sp} claimed that {c}.", "{Sp} maintained that {c}.", "{Sp} said in a statement that {c}.")
_DENY = ("{Sp} denied that {c}.", "{Sp} rejected reports that {c}.", "{Sp} dismissed claims that {c}.",
         "{Sp} denied on {W} that {c}.", "{Sp} disputed suggestions that {c}.")
_DOUBT = ("{Sp} doubted that {c}.", "{Sp} questioned whether {c}.", "{Sp} was sceptical that {c}.",
          "{Sp} was unconvinced that {c}.", "{Sp} was doubtful that {c}.", "{Sp} doubted on {W} that {c}.")
_WARN = ("{Sp} warned that {c}.", "{Sp} cautioned that {c}.")
_QUOTE = ('"{Q}," {Sp} said.', '"{Q}," said {Sp}.', '"{Q}," {Sp} told reporters.')
_QUOTE_FOLLOW = ('"{Q}," {P} said.', '"{Q}," {P} added.', '"{Q}," {P} said later.')
_FOLLOW_LINES = ("We will not change course", "The facts on the ground speak for themselves",
                 "Anyone can come and look for themselves", "This is the position of the government",
                 "There is nothing more to it than that", "We have been clear about this from the start")


def _strip_apposition(full: str) -> str:
    return full.rstrip(",")


# ----------------------------------------------------------------------------- background

_WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_TIMES = ("On {W}", "Late on {W}", "Early on {W}", "Earlier this week", "Overnight", "By midday",
          "Over the weekend", "For most of the afternoon", "Since the start of the month", "Last year")

# Background sentences: none may carry a cue word, and each fills in a place, day or figure, so that no
# sentence runs through the corpus word for word (both checked by the tests).
_BACKGROUND = (
    "{Tm}, long queues of lorries formed at the {town} crossing, and some drivers waited more than ten hours.",
    "The {R} region is home to about {n} thousand people, most of them in farming villages along the river.",
    "Heavy rain fell across {R} on {W}, and several minor roads were closed for part of the day.",
    "The {Aadj} currency lost {p} percent of its value against the euro over the past month.",
    "Negotiations between {A} and {B} are scheduled to resume in {cap} on {W}, after a break of {m} days.",
    "Trains between {cap} and {town} ran with long delays after a power fault on the main line.",
    "Fuel prices in {A} rose for a {ord} week in a row, and some petrol stations ran dry.",
    "{Tm}, hundreds of people gathered in the central square of {cap} to watch the evening news on large screens.",
    "Farmers in the {R} valley near {town} began the harvest {m} days early this year because of the dry spring.",
    "The main highway to {town} was closed in both directions for several hours while crews cleared debris.",
    "{A} has a population of about {m} million, and its economy depends heavily on grain and timber exports.",
    "Prices for bread and cooking oil in {cap} have climbed by about {p} percent since the spring.",
    "The parliament of {A} has {n} seats, and no party has held a majority since {y}.",
    "{Tm}, ferries between {town} and the outer islands were cancelled because of strong winds.",
    "The port of {town} handles about {n} thousand containers a year, most of them bound for {B}.",
    "Local radio stations in {R} switched to emergency programming for part of {W} night.",
    "Unemployment in the {R} region stands at about {p} percent, well above the national average.",
    "{Tm}, the stock exchange in {cap} closed {p} percent lower, its weakest day in months.",
    "The hospital in {town} has {n} beds and serves villages across the whole of the {R} valley.",
    "Temperatures in {cap} stayed close to {t} degrees for most of the week.",
    "Both governments keep embassies in each other's capitals, although both have cut their staff since {y}.",
)
_BACKGROUND_BY_FAMILY = {
    "troop_posture": (
        "The two countries fought a short border war in {y}, and relations between them have been tense since.",
        "Satellite images taken on {W} covered an area of about {n} square kilometres near {town}.",
        "The border between {A} and {B} runs for about {n} kilometres through forest and low hills.",
        "Schools in {town} stayed closed for a {ord} day, and many families left for relatives further inland.",
        "{Tm}, air traffic over the {R} region was diverted for several hours as a precaution.",
        "The river that marks part of the frontier near {town} rose by {m} centimetres after a week of rain in the hills.",
        "The border crossing at {town} reopened to private cars on {W} after being closed for three days.",
        "{Tm}, convoys of buses carried about {n} families away from villages near {town}.",
        "Aid groups set up tents and field kitchens on the edge of {town} for families arriving from the border.",
        "Military exercises involving about {n} troops in the {R} region began in the spring and were due to end within a month.",
    ),
    "treatment_efficacy": (
        "The trial began in {y} and enrolled about {n} patients at hospitals across {A}.",
        "Pharmacies in {town} ran short of common fever medicines for a {ord} week.",
        "Hospital stays in {D} rose by about {p} percent in the first quarter of the year.",
        "Doctors in {town} treated more than {n} cases of {D} over the winter.",
        "Regulators in {A} took about {m} months on average to review a new medicine last year.",
        "Patients in the trial at {town} took two tablets a day for {m} days.",
    ),
    "election_integrity": (
        "Turnout in the vote reached {p} percent, the highest level in two decades.",
        "In {town}, {n} polling stations opened at seven in the morning and closed at eight in the evening.",
        "About {m} million people were registered to vote, {n} thousand of them for the first time.",
        "Counting in the {R} region went on through {W} night and into the next afternoon.",
        "Queues formed outside polling stations in {town} before they opened.",
        "The new parliament, with {n} seats, is due to meet for the first time on {W}.",
    ),
    "sabotage": (
        "The {I} was built in {y} and supplies water and power to about {n} thousand homes.",
        "Rescue teams worked through {W} night in the valley below the {I}, and {m} villages were evacuated.",
        "Engineers inspected the remains of the structure on {W} and took samples for laboratory tests.",
        "Insurance losses from the damage could run to about {n} million euros.",
        "Water levels downstream of the {I} fell by about {m} centimetres within a day.",
        "Repair work on the {I} could take {m} months, and roads near {town} will stay closed until then.",
    ),
}
_BACKGROUND_BY_FAMILY["military_attack"] = _BACKGROUND_BY_FAMILY["troop_posture"]
_NON_POLITICAL = (
    "Heavy snow closed mountain passes across {R} for a {ord} day, and ski resorts shut their lifts early.",
    "{cap} United won their home game four goals to one in front of about {n} thousand supporters.",
    "The city museum in {cap} opened a new wing for textiles and old maps on {W}.",
    "A new bridge over the river at {town} opened to traffic after three years of building work.",
    "Tides along the coast near {town} rose well above their usual spring levels.",
    "The annual book fair in {cap} drew about {n} thousand visitors over four days.",
    "Farmers in {R} brought in a record grain harvest for a {ord} year running, helped by a warm and wet summer.",
    "The orchestra of {cap} will tour six cities in {B} later this year.",
    "Gusts of more than {n} kilometres per hour were measured on exposed headlands near {town}.",
    "The local team in {town} has not lost any of its last {m} matches.",
)
_ORDINALS = ("second", "third", "fourth", "fifth", "sixth")


# ----------------------------------------------------------------------------- storylines


def _seed_stories() -> list[dict]:
    """Storylines about the seed actors (dbt_project/seeds), so that claims resolve and conflict."""
    valdoria = [Speaker("the Valdorian Ministry of Defence", "the ministry", "it"),
                Speaker("Valdoria", "Valdoria", "it"),
                Speaker("President Ilse Marren", "Marren", "she"),
                Speaker("the Castellan Palace", "the Castellan Palace", "it"),
                Speaker("the Valdorian defence ministry", "the ministry", "it")]
    kestria = [Speaker("the Kestrian Foreign Ministry", "the ministry", "it"),
               Speaker("Prime Minister Tomas Reyvik", "Reyvik", "he"),
               Speaker("Kestria", "Kestria", "it"),
               Speaker("the Kestrian government", "the government", "it")]
    compact = [Speaker("the Northern Compact", "the Compact", "it"),
               Speaker("Secretary-General Helga Sorn", "Sorn", "she"),
               Speaker("UN observers", "the observers", "they")]
    slots = {"S": "Valdoria", "Sadj": "Valdorian", "T": "Kestria", "R": "Tarn"}
    return [
        dict(home="Valdoria", family="troop_posture", subject="Valdoria", slots=slots, pro=(valdoria, -1), con=(kestria, 1),
             outside=compact),
        dict(home="Valdoria", family="military_attack", subject="Valdoria", slots=slots, pro=(kestria, 1), con=(valdoria, -1),
             outside=compact),
        dict(home="Kestria", family="election_integrity", subject="Kestria",
             slots={"S": "Kestria", "Sadj": "Kestrian", "T": "Valdoria", "R": "Oskel"},
             pro=([Speaker("the Central Election Commission", "the commission", "it"),
                   Speaker("UN observers", "the observers", "they"),
                   Speaker("Prime Minister Tomas Reyvik", "Reyvik", "he")], 1),
             con=([Speaker("the Civic Renewal Party", "Civic Renewal", "it"),
                   Speaker("Anya Dobrec", "Dobrec", "she")], -1),
             outside=[Speaker("the Northern Compact", "the Compact", "it")]),
        dict(home="Kestria", family="treatment_efficacy", subject="Corvexin",
             slots={"S": "Corvexin", "Sadj": "Corvexin", "T": "Kestria", "R": "Oskel", "D": "fever"},
             pro=([Speaker("Meridian Pharma", "Meridian", "it"), Speaker("Meridian", "Meridian", "it")], 1),
             con=([Speaker("Dr. Lena Ostrova", "Ostrova", "she"), Speaker("Lena Ostrova", "Ostrova", "she")], -1),
             outside=[Speaker("the National Health Agency", "the agency", "it")]),
        dict(home="Valdoria", family="sabotage", subject="Tarn Valley",
             slots={"S": "Tarn Valley", "Sadj": "Tarn Valley", "T": "Kestria", "R": "Tarn", "I": "dam",
                    "K": "collapse"},
             pro=([Speaker("Valdoria", "Valdoria", "it"), Speaker("President Ilse Marren", "Marren", "she")], 1),
             con=([Speaker("Halvard Engineering", "Halvard", "it"),
                   Speaker("the Kestrian Interior Ministry", "the ministry", "it")], -1),
             outside=[Speaker("UN observers", "the observers", "they")]),
    ]


_SEED_STORIES = _seed_stories()
# The seed states as background places: capitals and regions from the seeds, towns invented here.
_SEED_COUNTRIES = {
    "Valdoria": Country("Valdoria", "Valdorian", "Brenmark", ["Tarn", "Selvin"], ["Carrow", "Dunmere", "Halvik"], []),
    "Kestria": Country("Kestria", "Kestrian", "Oskel", ["Oskel", "Morvan"], ["Lisk", "Ebbing", "Warrow"], []),
}
_INVENTED_FAMILIES = ("troop_posture", "troop_posture", "military_attack", "treatment_efficacy",
                      "election_integrity", "sabotage")


def _story(world: World, seed: int, story_id: int) -> Story:
    rng = random.Random(_seed_of(seed, 2, story_id))
    if story_id % SEED_STORY_EVERY == 0:  # evenly, so that every seed storyline shows up early
        spec = _SEED_STORIES[(story_id // SEED_STORY_EVERY) % len(_SEED_STORIES)]
        a = _SEED_COUNTRIES[spec["home"]]
        b = _SEED_COUNTRIES["Kestria" if spec["home"] == "Valdoria" else "Valdoria"]
        slots = {"D": rng.choice(_DISEASES), "I": "dam", "K": "collapse", **spec["slots"]}
        return Story(spec["family"], spec["subject"], slots, Side(*spec["pro"]), Side(*spec["con"]),
                     spec["outside"], a, b, seed_actors=True)
    family = rng.choice(_INVENTED_FAMILIES)
    a, b = rng.sample(world.countries, 2)
    outside = rng.choice(world.orgs)
    slots = {"S": a.name, "Sadj": a.adj, "T": b.name, "R": rng.choice(a.regions), "D": rng.choice(_DISEASES),
             "I": "dam", "K": "collapse"}
    if family == "troop_posture":  # a says it is pulling back, b says it is building up
        pro, con = Side(a.speakers, -1), Side(b.speakers, 1)
        subject = a.name
    elif family == "military_attack":  # b says a will attack, a says it will not
        pro, con = Side(b.speakers, 1), Side(a.speakers, -1)
        subject = a.name
    elif family == "treatment_efficacy":
        name, company = rng.choice(world.companies)
        drug = rng.choice(world.drugs)
        slots.update(S=drug, Sadj=drug)
        pro = Side(company, 1)
        con = Side(rng.sample(world.experts, 3), -1)
        outside = [Speaker(f"the {a.adj} Health Ministry", "the ministry", "it"), *outside]
        subject = drug
    elif family == "election_integrity":
        pro = Side(a.speakers, 1)
        con = Side([Speaker(f"the {a.adj} opposition", "the opposition", "it"),
                    rng.choice(world.experts), *b.speakers[:6]], -1)
        subject = a.name
    else:
        place, kind = rng.choice(world.infra)
        slots.update(S=place, Sadj=place, I=kind, K="explosion" if kind in ("pipeline", "gas terminal") else "collapse")
        pro = Side(b.speakers, 1)
        con = Side([*a.speakers[:8], rng.choice(world.companies)[1][0]], -1)
        subject = place
    return Story(family, subject, slots, pro, con, outside, a, b)


# ----------------------------------------------------------------------------- articles


class _ArticleWriter:
    def __init__(self, world: World, story: Story, rng: random.Random, day: datetime) -> None:
        self.world, self.story, self.rng, self.day = world, story, rng, day
        a_country, b_country = story.a, story.b
        self.fill = {
            "A": a_country.name, "Aadj": a_country.adj, "B": b_country.name, "cap": a_country.capital,
            "R": story.slots.get("R", a_country.regions[0]), "D": story.slots.get("D", "fever"),
            "I": f"{story.slots['S']} {story.slots['I']}" if story.family == "sabotage" else "dam",
        }
        self.towns = a_country.towns
        # Background leans on the storyline's own topic: a third of it common, the rest specific.
        self.pool = _BACKGROUND + _BACKGROUND_BY_FAMILY[story.family] * 3
        self.mentioned: set[str] = set()
        self.used: set[str] = set()

    def _name(self, speaker: Speaker) -> str:
        if speaker.full in self.mentioned and self.rng.random() < 0.6:
            return speaker.short
        self.mentioned.add(speaker.full)
        return speaker.full

    def _clause(self, polarity: int) -> str:
        templates = _CLAUSES[self.story.family][polarity]
        return self.rng.choice(templates).format(**self.story.slots)

    def _claim(self, template: str, speaker: Speaker, clause: str) -> str:
        name = self._name(speaker)
        if template.startswith("According to"):
            name = _strip_apposition(name)
        if template.startswith("{Sp}"):
            name = name[0].upper() + name[1:]
        elif name.endswith(","):
            name = name.rstrip(",")
        return template.format(Sp=name, c=clause, W=self.rng.choice(_WEEKDAYS))

    def claim_sentences(self) -> list[str]:
        """One attributed move of the storyline: an assertion, a counter-claim, a denial, a doubt or quotes."""
        rng, story = self.rng, self.story
        pro, con = story.pro, story.con
        move = rng.random()
        if move < 0.28:
            return [self._claim(rng.choice(_ASSERT), rng.choice(pro.speakers), self._clause(pro.polarity))]
        if move < 0.46:
            return [self._claim(rng.choice(_ASSERT), rng.choice(con.speakers), self._clause(con.polarity))]
        if move < 0.64:
            return [self._claim(rng.choice(_DENY), rng.choice(con.speakers), self._clause(pro.polarity))]
        if move < 0.74:
            return [self._claim(rng.choice(_DOUBT), rng.choice(story.outside), self._clause(pro.polarity))]
        if move < 0.80:
            return [self._claim(rng.choice(_WARN), rng.choice(story.outside), self._clause(con.polarity))]
        side = pro if rng.random() < 0.6 else con
        speaker = rng.choice(side.speakers)
        clause = self._clause(side.polarity)
        name = _strip_apposition(self._name(speaker))
        first = rng.choice(_QUOTE).format(Q=clause[0].upper() + clause[1:], Sp=name)
        if rng.random() < 0.5:
            return [first]
        follow = rng.choice(_QUOTE_FOLLOW).format(Q=rng.choice(_FOLLOW_LINES), P=speaker.pronoun)
        return [first, follow]

    def background(self, pool: tuple[str, ...]) -> str:
        rng = self.rng
        template = rng.choice(pool)
        while template in self.used:  # no sentence twice until the pool is spent
            template = rng.choice(pool)
        self.used.add(template)
        if len(self.used) >= len(set(pool)) // 2:
            self.used.clear()
        sentence = template.format(
            Tm=rng.choice(_TIMES).format(W=rng.choice(_WEEKDAYS)), W=rng.choice(_WEEKDAYS),
            town=rng.choice(self.towns), n=rng.randint(12, 900), m=rng.randint(2, 60), p=rng.randint(2, 38),
            y=rng.randint(1952, 2019), t=rng.randint(-8, 31), ord=rng.choice(_ORDINALS), **self.fill,
        )
        return sentence

    def title(self) -> str:
        s = self.story.slots
        forms = {
            "troop_posture": ("{Sadj} troop movements near {T} border under scrutiny",
                              "Conflicting accounts of {Sadj} pullback", "{T} disputes {Sadj} troop withdrawal"),
            "military_attack": ("Fears of {Sadj} offensive grow in {T}", "{S} rejects invasion talk"),
            "treatment_efficacy": ("Questions over {S} trial results", "{S} maker defends its fever drug"),
            "election_integrity": ("Row over {Sadj} election result deepens", "Observers weigh in on {Sadj} vote"),
            "sabotage": ("Cause of {S} {I} {K} still disputed", "Sabotage or accident at {S}?"),
        }[self.story.family]
        return self.rng.choice(forms).format(**s)


def _article(world: World, seed: int, index: int) -> dict[str, str]:
    """The normal (well-formed, original) article at ``index``."""
    rng = random.Random(_seed_of(seed, 3, index))
    block = index // STORY_BLOCK
    story_id = block * STORIES_PER_BLOCK + rng.randrange(STORIES_PER_BLOCK)
    story = _story(world, seed, story_id)
    day = BASE_DATE + timedelta(days=index // ARTICLES_PER_DAY + story_id % 5 + rng.randrange(8))
    published = day + timedelta(hours=rng.randint(5, 22), minutes=rng.randrange(60))
    writer = _ArticleWriter(world, story, rng, day)
    target_words = int(min(2200, max(180, rng.lognormvariate(6.45, 0.55))))
    political = rng.random() >= NON_POLITICAL_SHARE
    share = rng.uniform(0.11, 0.25) if political else 0.02
    sentences: list[str] = writer.claim_sentences() if political else []
    words = sum(len(s.split()) for s in sentences)
    while words < target_words:
        if political and rng.random() < share:
            new = writer.claim_sentences()
        else:
            new = [writer.background(writer.pool if political else _NON_POLITICAL + _BACKGROUND[:6])]
        sentences.extend(new)
        words += sum(len(s.split()) for s in new)
    paragraphs, i = [], 0
    while i < len(sentences):
        size = 1 if i == 0 else rng.randint(1, 4)
        paragraphs.append(" ".join(sentences[i : i + size]))
        i += size
    title = writer.title() if political else f"{writer.fill['cap']}: a busy week in the {writer.fill['R']} region"
    publisher, domain, authors = world.publishers[rng.randrange(len(world.publishers) - len(_SYNDICATION))]
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:60]
    return {
        "id": f"bench-{seed}-{index:09d}",
        "url": f"https://{domain}/news/{published:%Y/%m/%d}/{slug}-{index}",
        "title": title,
        "text": "\n\n".join(paragraphs),
        "source": publisher,
        "published_at": published.strftime("%Y-%m-%dT%H:%M:00Z"),
        "author": rng.choice(authors),
    }


def _kind(seed: int, index: int) -> str:
    u = random.Random(_seed_of(seed, 4, index)).random()
    if u < MALFORMED_SHARE:
        return MALFORMED_KINDS[int(u / MALFORMED_SHARE * len(MALFORMED_KINDS))]
    if u < MALFORMED_SHARE + DUPLICATE_SHARE:
        return "duplicate"
    return "article"


def _dumps(record: dict) -> str:
    return json.dumps(record, ensure_ascii=False)


_ABSURD_DATES = ("2999-01-01T00:00:00Z", "1066-10-14T09:00:00Z", "0001-01-01T00:00:00Z", "2087-07-04T12:00:00Z")


def _record_line(world: World, seed: int, index: int, offset: int) -> tuple[str, str]:
    """(kind, JSONL line) of record ``index``; duplicates copy an earlier original of the same batch."""
    kind = _kind(seed, index)
    if kind == "duplicate":
        rng = random.Random(_seed_of(seed, 5, index))
        j = index - 1 - rng.randrange(min(30, max(1, index - offset)))
        while j >= offset and _kind(seed, j) != "article":
            j -= 1
        if j < offset:
            kind = "article"
        else:
            original = _article(world, seed, j)
            publisher, domain, authors = world.publishers[-1 - rng.randrange(len(_SYNDICATION))]
            published = datetime.strptime(original["published_at"], "%Y-%m-%dT%H:%M:00Z") + timedelta(
                hours=rng.randint(1, 6))
            return kind, _dumps({
                "id": f"bench-{seed}-{index:09d}",
                "url": f"https://{domain}/syndicated/{index}",
                "title": original["title"],
                "text": original["text"],
                "source": publisher,
                "published_at": published.strftime("%Y-%m-%dT%H:%M:00Z"),
                "author": original["author"],
            })
    record = _article(world, seed, index)
    if kind == "broken_json":
        line = _dumps(record)
        return kind, line[: max(20, len(line) * 3 // 5)]
    if kind == "missing_text":
        record["text"] = "" if index % 2 else None
        if record["text"] is None:
            del record["text"]
        return kind, _dumps(record)
    if kind == "absurd_date":
        record["published_at"] = _ABSURD_DATES[index % len(_ABSURD_DATES)]
        return kind, _dumps(record)
    return kind, _dumps(record)


def iter_records(articles: int, seed: int = 0, offset: int = 0) -> Iterator[tuple[str, str]]:
    """Yield ``(kind, line)`` for records ``offset .. offset + articles - 1``; kind is
    ``article``, ``duplicate`` or one of ``MALFORMED_KINDS``."""
    world = build_world(seed)
    for index in range(offset, offset + articles):
        yield _record_line(world, seed, index, offset)


@dataclass
class Manifest:
    seed: int
    offset: int
    records: int = 0
    files: list[str] = field(default_factory=list)
    kinds: Counter = field(default_factory=Counter)
    words: int = 0
    actors_invented: int = 0

    def to_dict(self) -> dict:
        malformed = sum(self.kinds[k] for k in MALFORMED_KINDS)
        return {
            "seed": self.seed, "offset": self.offset, "records": self.records, "files": self.files,
            "articles": self.kinds["article"], "duplicates": self.kinds["duplicate"], "malformed": malformed,
            "malformed_by_kind": {k: self.kinds[k] for k in MALFORMED_KINDS}, "words": self.words,
            "actors_invented": self.actors_invented,
        }


def generate(out_dir: Path, articles: int, seed: int = 0, offset: int = 0,
             per_file: int = DEFAULT_PER_FILE) -> dict:
    """Write ``articles`` records as JSONL files under ``out_dir`` (streamed); return the manifest."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    manifest = Manifest(seed=seed, offset=offset, actors_invented=build_world(seed).n_actors)
    handle = None
    try:
        for n, (kind, line) in enumerate(iter_records(articles, seed, offset)):
            if n % per_file == 0:
                if handle:
                    handle.close()
                name = f"part-{seed}-{offset + n:09d}.jsonl"
                manifest.files.append(name)
                handle = (out_dir / name).open("w", encoding="utf-8", newline="\n")
            handle.write(line + "\n")
            manifest.records += 1
            manifest.kinds[kind] += 1
            if kind == "article":
                manifest.words += line.count(" ")  # close enough to a word count, and cheap
    finally:
        if handle:
            handle.close()
    data = manifest.to_dict()
    (out_dir / f"_manifest-{seed}-{offset:09d}.json").write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return data


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipelines.benchmark.corpus", description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, required=True, help="number of records to write")
    parser.add_argument("--seed", type=int, default=0, help="the same seed gives identical bytes")
    parser.add_argument("--offset", type=int, default=0, help="first record index (a disjoint follow-up batch)")
    parser.add_argument("--per-file", type=int, default=DEFAULT_PER_FILE, help="records per JSONL file")
    parser.add_argument("out_dir", type=Path)
    args = parser.parse_args(argv)
    if args.articles < 0 or args.per_file < 1:
        parser.error("--articles must be >= 0 and --per-file >= 1")
    data = generate(args.out_dir, args.articles, args.seed, args.offset, args.per_file)
    print(f"wrote {data['records']} records ({data['articles']} articles, {data['duplicates']} duplicates, "
          f"{data['malformed']} malformed) in {len(data['files'])} file(s) under {args.out_dir}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
