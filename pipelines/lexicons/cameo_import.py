"""Turn the converted CAMEO/Phoenix actor dictionaries into Claimhouse actor seeds.

    python -m pipelines.lexicons.cameo_import ../shared/lexicons/cameo dbt_project/seeds

Reads the CSVs of ``shared/lexicons/cameo`` (PETRARCH-2's Phoenix dictionaries,
MIT; country data from CountryInfo, CC BY-SA 3.0) and writes two seeds:

* ``cameo_actors.csv``: every current country and dependent territory (actor id
  = ISO 3166-1 alpha-3), the government ``<ISO3>_GOV`` and military
  ``<ISO3>_MIL`` of every country (composite actors whose parent is the
  country), intergovernmental organisations and news agencies.
* ``cameo_actor_aliases.csv``: their aliases -- names, demonyms, capitals,
  acronyms (``alias_kind`` ``acronym``: matched only when written in capitals),
  the dictionary's government and military bodies ("kremlin", "white house",
  "israel defence forces"), people with a dated government role (dated
  aliases of ``<ISO3>_GOV`` / ``<ISO3>_MIL``, as PETRARCH codes them), and
  composite aliases ``<demonym or country name> x <agent word>`` ("ukrainian
  officials" -> UKR_GOV, "russian ministry of defense" -> RUS military).

Selection rules (keep the seeds small enough for ``dbt seed``):
* countries: not historical (SUN, DDR, CSK, SCG are left out); aliases of kinds
  canonical, synonym, name_variant, demonym, capital (major cities, regions and
  geographic features are left out: they name places more often than states);
* people: roles coded exactly ``<country>GOV``, ``<country>MIL`` or
  ``<country>GOVMIL`` whose window reaches 2010-01-01 or later.  The dictionary
  stops in 2015, so an open-ended role is closed at ``OPEN_ROLE_END``; later
  office holders belong in the analyst's ``actor_alias_overrides.csv``;
* IGOs: records typed ``international_org`` whose name has an organisation
  word or an acronym alias (records that are people filed under an organisation
  code are left out);
* NGOs: records typed ``group`` with a CAMEO ``NGO`` code (Amnesty
  International, the Red Cross, Human Rights Watch...), as ``group`` actors
  ``NGO_<KEY>``, by the same organisation test; one-word aliases that are not
  acronyms are left out (they are words more often than names);
* ids: hand-written ids stay canonical (``ID_MAP``: RUS_MIL -> RUS_MOD, the UN,
  NATO and EU codes -> UN, NATO, EU); ``stg_actors`` / ``stg_actor_aliases``
  let hand-written and override rows win over these on a shared actor_id or alias.

The output is deterministic: rerunning on the same input gives the same bytes.
"""

from __future__ import annotations

import csv
import re
import sys
from collections import defaultdict
from pathlib import Path

OPEN_ROLE_END = "2016-12-31"
ROLE_HORIZON = "2010-01-01"

# CAMEO code or generated id -> the canonical id already used by the hand-written seeds.
ID_MAP = {
    "RUS_MIL": "RUS_MOD",
    "IGOUNO": "UN",
    "IGOWSTNAT": "NATO",
    "IGOEUREEC": "EU",
    "IGOUNOHLHWHO": "WHO",
    "IGOBUSIMF": "IMF",
    "IGOUNODEVWBK": "WORLD_BANK",
    "IGOUNOIAE": "IAEA",
    "IGOUNOKID": "UNICEF",
    "IGOUNOREFHCR": "UNHCR",
    "IGOUNOWFP": "WFP",
    "IGOJUDICC": "ICC",
    "IGOUNOJUDICJ": "ICJ",
    "IGOOPC": "OPEC",
    "IGOMEAARL": "ARAB_LEAGUE",
    "IGOAFRAFU": "AU",
    "IGOSEAASN": "ASEAN",
    "IGOWSTBUS": "OECD",
    "IGOCOPITP": "INTERPOL",
    "IGOOAS": "OAS",
    "IGOUNOLABILO": "ILO",
    "MEDIA_ASSOCIATED_PRESS": "AP",
}
IGO_NAMES = {
    "UN": "United Nations", "NATO": "NATO", "EU": "European Union", "WHO": "World Health Organization",
    "IMF": "International Monetary Fund", "WORLD_BANK": "World Bank", "IAEA": "International Atomic Energy Agency",
    "UNICEF": "UNICEF", "UNHCR": "UN High Commissioner for Refugees", "WFP": "World Food Programme",
    "ICC": "International Criminal Court", "ICJ": "International Court of Justice",
    "OPEC": "Organization of the Petroleum Exporting Countries", "ARAB_LEAGUE": "Arab League",
    "AU": "African Union", "ASEAN": "Association of Southeast Asian Nations",
    "OECD": "Organisation for Economic Co-operation and Development", "INTERPOL": "Interpol",
    "OAS": "Organization of American States", "ILO": "International Labour Organization",
}

# Agent words combined with each country's demonyms and names.  Each is in
# Phoenix.agents.txt or NGEC's PLOVER_agents.txt with the code shown, except
# the few marked "curated" (common in news, absent from both).
GOV_AGENTS = [
    "government", "authorities", "administration", "ministry", "cabinet", "president",
    "prime minister", "diplomats", "ambassador", "embassy", "foreign ministry", "foreign minister",
    "interior ministry", "government officials", "police", "officials", "official", "leader",
    "leaders", "health ministry", "government spokesman", "state media",
]
MIL_AGENTS = [
    "military", "army", "troops", "soldiers", "navy", "air force", "armed forces",
    "military officials", "ministry of defense", "ministry of defence", "defense ministry",
    "defence ministry", "defense minister", "defence minister", "forces",
]
CURATED_AGENTS = {"officials", "official", "leader", "leaders", "health ministry",
                  "government spokesman", "forces", "defence ministry",
                  "defence minister"}

# Forms the dictionaries' variants miss or spell oddly, used for composite aliases only.
EXTRA_FORMS = {"USA": ["us", "united states", "america"], "GBR": ["uk", "britain"], "ARE": ["uae"]}

STATE_ALIAS_KINDS = {"canonical": "name", "synonym": "name", "name_variant": "name",
                     "demonym": "nationality", "capital": "metonym"}
ORG_WORDS = re.compile(
    r"\b(organi[sz]ation|union|council|bank|fund|court|commission|agency|community|association|group|"
    r"league|nations|assembly|parliament|programme|program|tribunal|panel|alliance|conference|"
    r"partnership|office|forum|committee|federation|secretariat|mission|cooperation|treaty|states|"
    r"authority|unit|mechanism|initiative|institute|centre|center|board|forces|force|body|development)\b"
)

# Words that, alone or together, name no organisation in particular ("aid group", "NGO").
GENERIC_ORG_WORDS = {"aid", "group", "ngo", "development", "agenc", "agency", "relief", "association", "council",
                     "forum", "institute", "community", "alliance", "organization", "organisation", "foundation"}

ACTOR_COLUMNS = ["actor_id", "name", "actor_type", "country_code", "parent_actor_id", "description"]
ALIAS_COLUMNS = ["actor_id", "alias", "alias_kind", "valid_from", "valid_to"]


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def mapped(actor_id: str) -> str:
    return ID_MAP.get(actor_id, actor_id)


def plural_demonym(demonym: str) -> str | None:
    """'russian' -> 'russians'; -ese, -ish, -ch and -i forms have no plural noun."""
    if demonym.endswith(("ese", "ish", "ch", "ss")):
        return None
    if demonym.endswith("man"):
        return demonym[:-3] + "men"
    return demonym + "s"


def clean_form(text: str) -> str | None:
    """Aliases are used as written; forms with brackets, commas or other odd characters are dropped."""
    text = " ".join(text.split())
    if not text or re.search(r"[()\[\],;:/&]", text) or not re.search(r"[a-z]", text):
        return None
    return text


def build(cameo_dir: Path) -> tuple[list[dict], list[dict]]:
    countries = read(cameo_dir / "countries.csv")
    actors = read(cameo_dir / "actors.csv")
    aliases = read(cameo_dir / "aliases.csv")
    roles = read(cameo_dir / "roles.csv")
    agents = {row["agent"]: row["cameo_agent_code"] for row in read(cameo_dir / "agents.csv")}
    agents.update({row["agent"]: row["cameo_agent_code"] for row in read(cameo_dir / "agents_plover.csv")
                   if row["agent"] not in agents})
    missing = [a for a in GOV_AGENTS + MIL_AGENTS if a not in agents and a not in CURATED_AGENTS]
    if missing:
        raise SystemExit(f"agent words missing from the dictionaries and not marked curated: {missing}")

    aliases_by_actor: dict[str, list[dict]] = defaultdict(list)
    for row in aliases:
        aliases_by_actor[row["actor_key"]].append(row)
    actor_by_key = {row["actor_key"]: row for row in actors}

    out_actors: dict[str, dict] = {}
    out_aliases: set[tuple[str, str, str, str, str]] = set()

    def add_alias(actor_id: str, alias: str, kind: str, valid_from: str = "", valid_to: str = "") -> None:
        form = clean_form(alias)
        if form:
            out_aliases.add((actor_id, form, kind, valid_from, valid_to))

    def alias_kind(row: dict, default: str) -> str:
        if row["case_sensitive"] == "true":
            return "acronym"
        return STATE_ALIAS_KINDS.get(row["alias_kind"], default)

    # --- countries, their governments and militaries -------------------------
    cameo_to_iso: dict[str, str] = {}
    for country in countries:
        if country["is_historical"] == "true":
            continue
        iso = country["iso_alpha3"] or country["cameo_code"][:3]
        cameo_to_iso[country["cameo_code"]] = iso
    for country in countries:
        code = country["cameo_code"]
        if code not in cameo_to_iso:
            continue
        iso = cameo_to_iso[code]
        is_territory = country["is_territory"] == "true"
        name = country["iso_name"] or country["name"]
        parent = cameo_to_iso.get(code[:3], "") if is_territory else ""
        out_actors[iso] = {"actor_id": iso, "name": name, "actor_type": "state", "country_code": iso,
                           "parent_actor_id": parent if parent != iso else "",
                           "description": f"CAMEO {code}" + (" (territory)" if is_territory else "")}
        names = {country["name"].lower()}
        for row in aliases_by_actor.get(country["actor_key"], []):
            if row["alias_kind"] in STATE_ALIAS_KINDS:
                add_alias(iso, row["alias"], alias_kind(row, "name"))
                if row["alias_kind"] in ("canonical", "name_variant") and row["case_sensitive"] != "true":
                    names.add(row["alias"])
        # Composite forms: the first clean demonym and the shortest name ("russian", "russia").
        demonyms = [d for d in country["demonyms"].split("|") if clean_form(d)]
        stem = demonyms[0][:3] if demonyms else "\0"
        short_names = sorted((n for n in names if clean_form(n) and n.startswith(stem)), key=lambda n: (len(n), n))
        forms = set(demonyms[:1] + (short_names[:1] or [country["name"].lower()]) + EXTRA_FORMS.get(iso, []))
        add_alias(iso, name, "name")
        if is_territory:
            continue
        gov, mil = f"{iso}_GOV", mapped(f"{iso}_MIL")
        out_actors[gov] = {"actor_id": gov, "name": f"Government of {name}", "actor_type": "government",
                           "country_code": iso, "parent_actor_id": iso, "description": f"CAMEO {code}GOV"}
        if mil == f"{iso}_MIL":
            out_actors[mil] = {"actor_id": mil, "name": f"Military of {name}", "actor_type": "military",
                               "country_code": iso, "parent_actor_id": iso, "description": f"CAMEO {code}MIL"}
        for demonym in demonyms:
            if not demonym.endswith("s"):
                plural = plural_demonym(demonym)
                if plural:
                    add_alias(iso, plural, "nationality")
        for form in sorted(forms):
            for agent in GOV_AGENTS:
                add_alias(gov, f"{form} {agent}", "description")
            for agent in MIL_AGENTS:
                add_alias(mil, f"{form} {agent}", "description")
        add_alias(gov, f"government of {name.lower()}", "description")

    # --- government and military bodies, and people in office ---------------
    for actor in actors:
        code = actor["primary_code"]
        country = cameo_to_iso.get(code[:3])
        if not country or actor["actor_type"] not in ("government", "military"):
            continue
        if code[:3] != actor["country_code"] or out_actors.get(country, {}).get("parent_actor_id"):
            continue
        target = f"{country}_GOV" if actor["actor_type"] == "government" else mapped(f"{country}_MIL")
        for row in aliases_by_actor[actor["actor_key"]]:
            add_alias(target, row["alias"], alias_kind(row, "name"))

    for role in roles:
        actor = actor_by_key.get(role["actor_key"])
        if actor is None or actor["actor_type"] != "person":
            continue
        country = cameo_to_iso.get(role["code_country"])
        if not country or role["code_sectors"] not in ("GOV", "MIL", "GOVMIL") or not role["valid_from"]:
            continue
        if role["cameo_code"] != role["code_country"] + role["code_sectors"] or country not in out_actors:
            continue
        if out_actors[country]["parent_actor_id"]:
            continue
        valid_to = role["valid_to"] or OPEN_ROLE_END
        if valid_to < ROLE_HORIZON or valid_to < role["valid_from"]:
            continue
        target = f"{country}_GOV" if role["code_sectors"] == "GOV" else mapped(f"{country}_MIL")
        # PETRARCH reads d1-d2 as d1 <= date < d2; the seeds' windows are inclusive.
        for row in aliases_by_actor[actor["actor_key"]]:
            add_alias(target, row["alias"], "title" if " " in row["alias"] and row["alias_kind"] == "synonym" else "name",
                      role["valid_from"], valid_to)

    # --- intergovernmental organisations and news agencies -------------------
    for actor in actors:
        code = actor["primary_code"]
        if actor["actor_type"] == "international_org" and code.startswith("IGO"):
            rows = aliases_by_actor[actor["actor_key"]]
            has_acronym = any(r["case_sensitive"] == "true" for r in rows)
            is_org = has_acronym or ORG_WORDS.search(actor["canonical_name"].lower()) \
                or actor["canonical_name"].isupper() or re.fullmatch(r"[A-Z][a-z]*[A-Z]+\w*|[A-Z][a-z]+", actor["canonical_name"])
            if not is_org:
                continue
            actor_id = ID_MAP.get(code) or "IGO_" + re.sub(r"[^A-Z0-9]+", "_", actor["actor_key"].upper())
            parent = ""
            for cut in range(len(code) - 3, 3, -3):
                if ID_MAP.get(code[:cut]) and ID_MAP[code[:cut]] != actor_id:
                    parent = ID_MAP[code[:cut]]
                    break
            if actor_id not in out_actors:
                out_actors[actor_id] = {"actor_id": actor_id, "name": IGO_NAMES.get(actor_id, actor["canonical_name"]),
                                        "actor_type": "international_org", "country_code": "",
                                        "parent_actor_id": parent, "description": f"CAMEO {code}"}
            for row in rows:
                add_alias(actor_id, row["alias"], alias_kind(row, "name"))
        elif actor["actor_type"] == "group" and code.startswith("NGO"):
            rows = aliases_by_actor[actor["actor_key"]]
            has_acronym = any(r["case_sensitive"] == "true" for r in rows)
            if not (has_acronym or ORG_WORDS.search(actor["canonical_name"].lower())):
                continue
            kept = [row for row in rows if (" " in row["alias"] or row["case_sensitive"] == "true")
                    and not set(row["alias"].split()) <= GENERIC_ORG_WORDS and clean_form(row["alias"])]
            if not kept or set(actor["canonical_name"].lower().split()) <= GENERIC_ORG_WORDS:
                continue
            actor_id = "NGO_" + re.sub(r"[^A-Z0-9]+", "_", actor["actor_key"].upper())
            out_actors[actor_id] = {"actor_id": actor_id, "name": actor["canonical_name"], "actor_type": "group",
                                    "country_code": cameo_to_iso.get(code[3:6], ""), "parent_actor_id": "",
                                    "description": f"CAMEO {code}"}
            for row in kept:
                add_alias(actor_id, row["alias"], alias_kind(row, "name"))
        elif actor["actor_type"] == "media" and not actor["has_dated_roles"] == "true":
            actor_id = mapped("MEDIA_" + re.sub(r"[^A-Z0-9]+", "_", actor["actor_key"].upper()))
            if actor_id.startswith("MEDIA_"):
                out_actors[actor_id] = {"actor_id": actor_id, "name": actor["canonical_name"], "actor_type": "media",
                                        "country_code": cameo_to_iso.get(actor["country_code"], ""),
                                        "parent_actor_id": "", "description": f"CAMEO {code}"}
            for row in aliases_by_actor[actor["actor_key"]]:
                add_alias(actor_id, row["alias"], alias_kind(row, "name"))

    actor_rows = sorted(out_actors.values(), key=lambda r: r["actor_id"])
    known = set(out_actors) | set(ID_MAP.values())
    alias_rows = [dict(zip(ALIAS_COLUMNS, row)) for row in sorted(out_aliases) if row[0] in known]
    return actor_rows, alias_rows


def write(path: Path, columns: list[str], rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2:
        print(__doc__.splitlines()[2].strip(), file=sys.stderr)
        return 2
    cameo_dir, seeds_dir = Path(args[0]), Path(args[1])
    actor_rows, alias_rows = build(cameo_dir)
    write(seeds_dir / "cameo_actors.csv", ACTOR_COLUMNS, actor_rows)
    write(seeds_dir / "cameo_actor_aliases.csv", ALIAS_COLUMNS, alias_rows)
    print(f"wrote {len(actor_rows)} actors and {len(alias_rows)} aliases to {seeds_dir}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
