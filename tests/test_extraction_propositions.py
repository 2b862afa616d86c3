"""What a claim is about, and who a title names: the parts of extraction contradictions stand on."""

from __future__ import annotations

import pytest

from pipelines.extraction import ArticleText, Extractor


def _only_attribution(extractor: Extractor, text: str):
    [attribution] = extractor.extract([ArticleText("a", text)]).attributions
    return attribution


@pytest.mark.parametrize(
    ("text", "family", "polarity"),
    [
        ("The commission said the result was legitimate.", "election_integrity", 1),
        ("Election officials said the vote was fair.", "election_integrity", 1),
        ("Anya Dobrec said the count was not fair.", "election_integrity", -1),
        # an adjective said of something that is no election does not count for one
        ("Anya Dobrec said the election is far from over and that her party has legitimate legal challenges.",
         None, None),
        ("Anya Dobrec said the vote tally was a fair deal for the tool makers.", None, None),
    ],
)
def test_an_adjective_term_counts_for_what_it_qualifies(extractor: Extractor, text, family, polarity) -> None:
    attribution = _only_attribution(extractor, text)
    assert attribution.predicate_family_id == family
    assert attribution.predicate_polarity == polarity


@pytest.mark.parametrize(
    ("text", "person"),
    [
        ("President Ilse Marren met Tomas Reyvik on Friday. The president said the vote was rigged.", "Ilse Marren"),
        ("Anya Dobrec, the president of Kestria, met Tomas Reyvik. The president said the vote was rigged.",
         "Anya Dobrec"),
        # no one introduced with the title: the nearest person, as before
        ("Tomas Reyvik arrived on Friday. The minister said the units would return to base.", "Tomas Reyvik"),
    ],
)
def test_a_title_names_the_person_the_article_gave_it(extractor: Extractor, text, person) -> None:
    attribution = _only_attribution(extractor, text)
    assert attribution.speaker_kind == "title"
    assert attribution.speaker_resolved_text == person


def test_a_possessive_pronoun_points_at_its_clause_subject_named_as_a_person_elsewhere(extractor: Extractor) -> None:
    # the tagger may call a surname alone an organization; the article names that person in full elsewhere
    text = (
        "Oren Vasco landed in Oskel. Minister Anya Dobrec opened the summit. As the talks went on, "
        "Vasco tweeted about delaying the vote due to his concerns about possible fraud in the postal vote."
    )
    result = extractor.extract([ArticleText("a", text)])
    [concerns] = [a for a in result.attributions if a.speaker_text == "his"]
    assert concerns.speaker_resolved_text == "Vasco"
