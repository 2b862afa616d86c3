"""Attributions: speaker, cue and content, found on the dependency parse.

Rules, in the spirit of textacy's ``direct_quotations`` but for indirect
speech too:

- ``verb_cue``: a cue verb (said, denied, warned...) with its subject as the
  speaker and its clausal complement (or, for denials and warnings, its object)
  as the content.  A verb in a conjunction inherits the subject of its head.
- ``adjective_cue``: "X was skeptical that ...".
- ``according_to``: "according to X, ..." with the rest of the clause as content.
- ``quote_after_colon``: "X said:" followed by a quotation.
- noun and adverb cues: "Trump's claim that ...", "criticism from X of Y", "X reportedly ..."
  (one-word phrase cues of the lexicon, and verbs flagged ``noun``); their rule value is
  ``adjective_cue``, as the set of rule values is a warehouse contract.
- ``according_to`` also covers "in a CNN poll released Monday, ..." (phrase cues "in poll").

When the content lies in quotation marks, the whole quotation is the content
(so quotes over several sentences stay whole) and the speech is direct.

This module finds cues and reads their contents; where the speaker is written
is ``speaker_phrases.py``'s, whom it stands for ``speakers.py``'s, and which
quotation a cue reports when the parse does not say ``reported_quotes.py``'s.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pipelines.extraction.lexicon import Lexicon
from pipelines.extraction.parsing import ParsedArticle, ParsedSentence
from pipelines.extraction.predicates import find_subject, match_predicate
from pipelines.extraction.quotes import inner
from pipelines.extraction.records import Attribution, Mention, Subject
from pipelines.extraction.reported_quotes import (
    closed_quote_before,
    in_quote,
    in_spoken_quote,
    quote_after_colon,
    quote_before,
    reported_quote_before,
)
from pipelines.extraction.speaker_phrases import (
    FINITE_TAGS,
    agent_of,
    head_phrase,
    is_passive,
    subject_by_position,
    subject_of,
)
from pipelines.extraction.speakers import resolve_speaker

if TYPE_CHECKING:
    from spacy.tokens import Token

CONTEXT_SENTENCES = 2
_CONTENT_PREPOSITIONS = frozenset({"of", "about", "against", "on", "for", "over"})
# After an object, the preposition that says what the object is said to be or to have done ("X as Y", "X of Y").
_COMPLEMENT_PREPOSITIONS = frozenset({"as", "of", "for"})
_EDGE_PUNCTUATION = " \t\n,;:-–—"
# "Dr. Ward stated: ..." where the quotation is not closed in the paragraph.
_COLON_AFTER_CUE = re.compile(r"^[^.!?\"“”]{0,40}:\s*")

# A cue verb that is itself the complement of another clause ("it is clear he wants", "said he
# believes") is mostly part of someone else's content; PolNeAR rarely marks it.
_EMBEDDED_DEPS = frozenset({"ccomp", "pobj", "amod"})
_ANSWERS = frozenset({"yes", "no", "so"})
# A cue written "find that" in the lexicon counts only with a clausal complement (ccomp, which
# includes a quotation before the cue: "'...,' she continued"), not with an object or "to ...".
_CLAUSE_ONLY = "that"
# "Name: ...", at the start of a line: a short capitalised name, no digits ("5:00 p.m." is a time).
SPEAKER_COLON = re.compile(r"^[\"“‘']?([A-Z][^:.!?\n\d\"“”]{0,50}?)\s*:\s+[\"“‘']?(?=\S)(.)")
_MAX_SPEAKER_COLON_WORDS = 6
# A dash and a capitalised name of one to five words right after a closing quotation mark (web text
# often puts a no-break space around the dash).
_DASH_CREDIT = re.compile(r"[ \t\u00a0]*([―—])[ \t\u00a0]*([A-Z][\w.’'-]*(?:[ \t\u00a0]+[A-Z][\w.’'-]*){0,4})")
_NOT_SPEAKERS = frozenset({"update", "updates", "watch", "video", "photo", "photos", "related", "note", "correction",
                           "source", "sources", "more", "read", "listen", "see", "caption", "credit", "tags", "latest",
                           "name", "age", "city", "job", "pay", "breaking", "exclusive", "analysis"})

# Noun and adverb cues ("his claim that", "reportedly") are reported under the rule value of the
# other non-verb cue: the set of rule values is a warehouse contract (GX expectation, dbt tests).
_WORD_CUE_RULE = "adjective_cue"

_CONFIDENCE = {
    "verb_cue": 0.9, "according_to": 0.85, "adjective_cue": 0.75, "quote_after_colon": 0.85,
    "speaker_colon": 0.7, "quote_credit": 0.8,
}
_SPEAKER_KIND_FACTOR = {"named": 1.0, "title": 0.9, "pronoun": 0.85, "missing": 0.5}


@dataclass(frozen=True)
class _Found:
    sentence: ParsedSentence
    rule: str
    speaker_tokens: list[Token]
    cue_start: int
    cue_end: int
    cue_lemma: str
    content_start: int
    content_end: int


def find_attributions(
    article_id: str, parsed: ParsedArticle, mentions: Sequence[Mention], lexicon: Lexicon
) -> list[Attribution]:
    found: list[_Found] = []
    for sentence in parsed.sentences:
        if not sentence.doc.has_annotation("DEP"):
            continue  # not parsed: it holds no cue word, quotation mark or "Name:"
        found.extend(_verb_cues(sentence, parsed, lexicon))
        found.extend(_adjective_cues(sentence, lexicon))
        found.extend(_noun_cues(sentence, parsed, lexicon))
        found.extend(_source_phrases(sentence, lexicon))
        found.extend(_according_to(sentence))
        found.extend(_speaker_colon(sentence, parsed))
    found.extend(_quote_credits(parsed))
    found = _without_overlaps(found)
    turns = transcript_turns(parsed.text)
    if turns:
        found = [item for item in found if _outside_turns_or_first_person(item, turns)]
        # a transcript marker is no antecedent: "((WN))" is the interviewer, "((Name))" the one answering
        mentions = [m for m in mentions if not any(t.marker_start <= m.start < t.marker_end for t in turns)]
    return [
        _to_attribution(article_id, index, item, parsed, mentions, lexicon)
        for index, item in enumerate(sorted(found, key=lambda f: (f.cue_start, f.content_start)))
    ]


@dataclass(frozen=True)
class Turn:
    """One turn of a Q&A transcript: from a line opening with a "((Name))" marker to the next marker (an answer
    may run over several paragraphs), or to the end of its line when that line asks a question (the
    interviewer's turn; what follows an unanswered question is the article's own text)."""

    marker_start: int
    marker_end: int
    end: int
    name: str


# "((Name))" (or "((Name)) :") opening a line: the speaker of the turn in a Q&A transcript.
_TURN_MARKER = re.compile(r"^[ \t]*\(\(([^()\n]{1,60})\)\)[ \t]*:?", re.MULTILINE)
FIRST_PERSON = frozenset({"i", "we"})


def transcript_turns(text: str) -> list[Turn]:
    """The turns of a Q&A transcript, in text order; none where no line opens with a "((Name))" marker."""
    markers = list(_TURN_MARKER.finditer(text))
    turns = []
    for i, marker in enumerate(markers):
        end = markers[i + 1].start() if i + 1 < len(markers) else len(text)
        line_end = text.find("\n", marker.end())
        line_end = len(text) if line_end == -1 else line_end
        if text[marker.end() : line_end].rstrip().rstrip("\"'”’").endswith("?"):
            end = min(end, line_end)
        turns.append(Turn(marker.start(), marker.end(), end, marker.group(1).strip()))
    return turns


def _outside_turns_or_first_person(item: _Found, turns: list[Turn]) -> bool:
    """Inside a transcript turn everything is the marker's speaker's speech, like a quotation: a report in it
    ("many users find that ...", "if publishers say ...") is part of what they said, not a claim of its own;
    only their own first-person statements ("I think ...", "we found ...") stand as attributions ("our
    organisation told us" is a report too)."""
    if not any(t.marker_start <= item.cue_start < t.end for t in turns):
        return True
    tokens = item.speaker_tokens
    return len(tokens) == 1 and tokens[0].lower_ in FIRST_PERSON and tokens[0].pos_ == "PRON"


def _verb_cues(
    sentence: ParsedSentence, parsed: ParsedArticle, lexicon: Lexicon
) -> Iterator[_Found]:
    particles = lexicon.verb_particles
    speech = lexicon.speech_cues
    naming = lexicon.naming_cues
    for token in sentence.doc:
        lemma = token.lemma_.lower()
        if lemma not in particles or token.pos_ not in ("VERB", "AUX"):
            continue
        if lemma not in speech and _is_embedded(token, sentence, parsed):
            continue  # a thought or wish inside someone's content; a nested report of speech counts
        if token.dep_ == "acl" and token.tag_ == "VBN" and not any(
            c.dep_ == "prep" and c.lower_ in particles[lemma] for c in token.children
        ):
            continue  # "a class called 'Perception'": a name, not speech; "contests known as X" counts
        if token.i > 0 and token.nbor(-1).text == "<":
            continue  # markup such as <tweet author=...>
        if lemma in naming and token.tag_ == "VBN" and not any(
            c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass") for c in token.children
        ):
            continue  # "a flying device ..., called Flyboard Air": a participle naming a thing, not speech
        cue_start, cue_end = sentence.start_of(token), sentence.end_of(token)
        if parsed.quote_around(cue_start, cue_end) is not None or _in_tweet(parsed.text, cue_start):
            continue  # a cue inside someone's quotation or tweet is part of what they said
        wanted = particles[lemma]
        particle = next((c for c in token.children if c.dep_ in ("prep", "prt") and c.lower_ in wanted
                         and _particle_follows(token, c)), None)
        content = _clausal_content(token)
        if content is not None and _clause_before_verb_with_object(token, content, sentence, parsed, lexicon):
            content = None  # "A wins the vote, B proposes a plan": the clause is no complement of "proposes"
        if content is not None and particle is not None and particle.dep_ == "prep":
            pobj = next((c for c in particle.children if c.dep_ == "pobj"), None)
            if pobj is not None and pobj.right_edge.i < content[0].i:  # "called on Italy and Egypt to join"
                content = list(token.doc[pobj.left_edge.i : content[-1].i + 1])
        elif content is not None and lemma not in lexicon.addressee_cues:
            obj = next((c for c in token.children if c.dep_ == "dobj" and token.i < c.i < content[0].i), None)
            if obj is not None:  # "said hundreds of fighters escaped", "reported Hamza to be dead": one clause
                content = list(token.doc[obj.left_edge.i : content[-1].i + 1])
        if particle is not None:
            lemma = f"{lemma} {particle.lower_}"
            if particle.i == token.i + 1:
                cue_end = sentence.end_of(particle)
        elif "" not in wanted:
            if _CLAUSE_ONLY not in wanted or not (
                any(c.dep_ == "ccomp" and not _after_comma(token, c) for c in token.children)
                or quote_after_colon(parsed, cue_end) is not None  # 'He continued, "..."'
            ):
                continue  # "point" counts only as "point to", "find" only as "find that ..."
            lemma = f"{lemma} {_CLAUSE_ONLY}"
        if particle is None and lemma in naming and content is None and not (
            any(c.dep_ == "oprd" for c in token.children)
            or (token.i + 1 < len(token.doc) and token.nbor(1).is_quote)
            or _object_ends_in_quote(token, sentence, parsed)
        ):
            continue  # "called Sanders", "the race was called", "so-called": no name given
        passive = is_passive(token)
        if passive:
            speaker = agent_of(token)
        else:
            speaker = subject_of(token)
            if speaker and in_spoken_quote(parsed, sentence, speaker):
                speaker = _speaker_after_quoted_subject(token, speech, lexicon.addressee_cues)
            speaker = speaker or subject_by_position(token, sentence, parsed, speech)
        if content is None:
            quote = quote_after_colon(parsed, cue_end) or _rest_after_colon(sentence, cue_end)
            if quote is not None:
                yield _Found(sentence, "quote_after_colon", speaker, cue_start, cue_end, lemma, *quote)
                continue
            content = _object_content(token, passive, particle)
            quote = None
            if content is None or (len(content) == 1 and content[0].pos_ == "PRON") or (
                speaker and speaker[0].i > token.i and _shares_tokens(content, speaker)
            ):
                # "'Come on,' he urged them."; '"Is he running?" asked Mr. Dobrec', the speaker read as the object
                quote = quote_before(parsed, cue_start)
            elif (particle is None and _object_is_no_report(token, content, lexicon.addressee_cues)
                  and not (speaker and in_quote(parsed, sentence, speaker))):
                quote = closed_quote_before(parsed, sentence, cue_start, speaker)
            if quote is not None:
                yield _Found(sentence, "verb_cue", speaker, cue_start, cue_end, lemma, *quote)
                continue
        if content is None and token.dep_ == "parataxis" and token.head.i != token.i:
            inside = {t.i for t in token.subtree}
            content = [t for t in token.head.subtree if t.i not in inside]
        if content is None:
            content = _clause_around(token, speaker)
        if content is None:
            continue
        if content[0].i < token.i < content[-1].i:
            # "At 2:45 a.m., his office said, he died ...": the content around a parenthetical cue is the clause
            # after it, when that clause has its own subject; "which his wife said was ..." has none
            after = [t for t in content if t.i > token.i and t.i not in {s.i for s in speaker}]
            if any(t.dep_ in ("nsubj", "nsubjpass", "expl") and t.head.i > token.i for t in after):
                while after and (after[0].is_punct or after[0].i <= max([s.i for s in speaker], default=token.i)):
                    after = after[1:]
                content = after
        if speaker and _shares_tokens(content, speaker):
            # '"I am happy", coach Jo Lind said.' parsed as one clause: what was said is the quotation
            quote = reported_quote_before(parsed, cue_start)
            if quote is not None and sentence.start_of(content[0]) <= quote[0]:
                yield _Found(sentence, "verb_cue", speaker, cue_start, cue_end, lemma, *quote)
                continue
        span = _span(sentence, content)
        if span is None:
            continue
        yield _Found(sentence, "verb_cue", speaker, cue_start, cue_end, lemma, *span)


def _speaker_after_quoted_subject(verb: Token, speech: frozenset[str], addressee: frozenset[str]) -> list[Token]:
    """The parse took words of a quotation before the cue for its subject ('"..., I hold Sen. Dobrec in high
    esteem," Varga said'): they are not who said it.  The speaker is the phrase after an inverted verb of
    saying that the parse made its object or a second subject ('"...," said Piet Varga'), unless the object
    is whom it was said to ("told reporters"); empty otherwise, for word order to decide."""
    lemma = verb.lemma_.lower()
    if verb.tag_ not in FINITE_TAGS or lemma not in speech or lemma in addressee:
        return []
    after = next((c for c in verb.children if c.dep_ in ("dobj", "nsubj") and c.i > verb.i), None)
    return head_phrase(after) if after is not None else []


def _object_ends_in_quote(verb: Token, sentence: ParsedSentence, parsed: ParsedArticle) -> bool:
    """ 'called their son "a hero"', 'called the plan "reckless"': the name a naming verb gives, quoted at the
    end of its object (the parse takes the quotation into the object)."""
    obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
    if obj is None:
        return False
    words = [t for t in obj.subtree if not t.is_punct]
    if not words or words[-1].i <= obj.i:
        return False
    quote = parsed.quote_around(sentence.start_of(words[-1]), sentence.end_of(words[-1]))
    return quote is not None and quote[0] > sentence.start_of(obj)


def _clause_before_verb_with_object(
    verb: Token, content: list[Token], sentence: ParsedSentence, parsed: ParsedArticle, lexicon: Lexicon
) -> bool:
    """An unquoted clause parsed as the complement of a later verb that has an object of its own ("A wins
    the vote, B proposes a plan to ..."): a list of clauses, each its own; not a quotation before the cue
    ('"...," he wrote a friend') nor a verb whose object is the addressee ("..., she told reporters")."""
    if content[-1].i > verb.i or verb.lemma_.lower() in lexicon.addressee_cues:
        return False
    if not any(c.dep_ == "dobj" and c.i > verb.i for c in verb.children):
        return False
    start, end = sentence.start_of(content[0]), sentence.end_of(content[-1])
    quoted = any(q_start <= end and start <= q_end for q_start, q_end in parsed.quotes)
    return not quoted


def _after_comma(verb: Token, clause: Token) -> bool:
    """ "Unrest continued in Portland, where ...": a clause after a comma is no complement of the verb."""
    return clause.i > verb.i and any(t.text == "," for t in verb.doc[verb.i + 1 : clause.left_edge.i])


def _particle_follows(verb: Token, particle: Token) -> bool:
    """ "called for", "called repeatedly on", "described him as": a particle other than "as" stands
    right after the verb (adverbs aside), so "called Reyvik on Monday" is not "call on"."""
    if particle.lower_ == "as":
        return True
    between = verb.doc[verb.i + 1 : particle.i] if particle.i > verb.i else verb.doc[particle.i + 1 : verb.i]
    return all(t.pos_ in ("ADV", "PART") for t in between)


def _clause_around(verb: Token, speaker: list[Token]) -> list[Token] | None:
    """A report with no complement of its own that frames the rest of the sentence.

    "As the Post reported, X ..." (an "as" clause: the clause it modifies), and "X ..., CNN
    reported." / "X ..., said the minister." (after a comma at the end: what stands before it).
    """
    if verb.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "as" for c in verb.children):
        inside = {t.i for t in verb.subtree}
        return [t for t in verb.head.subtree if t.i not in inside] or None
    doc = verb.doc
    own = {t.i for t in verb.subtree}
    first = min(own)
    if first == 0 or doc[first - 1].text != "," or not speaker:
        return None
    if any(t.i not in own and not t.is_punct for t in doc[verb.i + 1 :]):
        return None  # words after the cue that are not its own: not the end of the sentence
    before = [t for t in doc[: first - 1]]
    if not any(t.pos_ in ("VERB", "AUX") for t in before):
        return None
    return before


def _adjective_cues(sentence: ParsedSentence, lexicon: Lexicon) -> Iterator[_Found]:
    adjectives = lexicon.adjective_cues
    for token in sentence.doc:
        lemma = token.lemma_.lower()
        if lemma not in adjectives or token.dep_ not in ("acomp", "ROOT", "amod"):
            continue
        content = next((c for c in token.children if c.dep_ == "ccomp"), None)
        if content is None:
            content = _prepositional_object(token)
        if content is None:
            continue
        span = _span(sentence, list(content.subtree))
        if span is None:
            continue
        speaker = subject_of(token.head if token.dep_ == "acomp" else token)
        yield _Found(
            sentence, "adjective_cue", speaker, sentence.start_of(token), sentence.end_of(token), lemma, *span
        )


def _noun_cues(sentence: ParsedSentence, parsed: ParsedArticle, lexicon: Lexicon) -> Iterator[_Found]:
    """A noun of saying with its source and content: "Trump's claim that ...", "criticism from X of Y".

    A one-word phrase cue that is an adverb ("reportedly") takes the clause it modifies, with no source.

    The source is a possessive ("his claim", "Trump's decision") or a "by"/"from" phrase; the
    content a clause ("claim that ...", "decision to ...") or an "of"/"about"/"against" phrase.
    Without a clause, a source is required: "the allegations of fraud" alone is a topic.
    """
    nouns = lexicon.noun_cues
    for token in sentence.doc:
        lemma = token.lemma_.lower()
        if token.pos_ not in ("NOUN", "ADV") or lemma not in nouns:
            continue
        cue_start, cue_end = sentence.start_of(token), sentence.end_of(token)
        if parsed.quote_around(cue_start, cue_end) is not None or _in_tweet(parsed.text, cue_start):
            continue
        if token.pos_ == "ADV":  # "X has reportedly looked at Y": the clause, from nobody named
            span = _span(sentence, [t for t in token.head.subtree if t.i != token.i])
            if span is not None and token.head.pos_ in ("VERB", "AUX"):
                yield _Found(sentence, _WORD_CUE_RULE, [], cue_start, cue_end, lemma, *span)
            continue
        source: list[Token] = []
        clause: Token | None = None
        for child in token.children:
            if child.dep_ == "poss":
                source = [t for t in head_phrase(child) if t.dep_ != "case"]  # "Trump's" -> "Trump"
            elif child.dep_ in ("prep", "agent") and child.lower_ in ("by", "from") and not source:
                pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
                if pobj is not None:
                    source = head_phrase(pobj)
            elif child.i > token.i and (child.dep_ == "ccomp" or (child.dep_ == "acl" and _is_full_clause(child))):
                clause = child
        if clause is not None:
            content = list(clause.subtree)
        elif source:
            pobj = _prepositional_object(token)
            if pobj is None:
                continue
            content = list(pobj.subtree)
        else:
            continue
        span = _span(sentence, content)
        if span is None:
            continue
        yield _Found(sentence, _WORD_CUE_RULE, source, cue_start, cue_end, lemma, *span)


def _source_phrases(sentence: ParsedSentence, lexicon: Lexicon) -> Iterator[_Found]:
    """A phrase cue written "<preposition> <noun>" ("in poll"): "In a CNN poll released Monday,
    50 percent chose X" - the preposition is the cue, its object the source, its clause the content."""
    wanted: dict[str, set[str]] = {}
    for cue in lexicon.phrase_cues:
        words = cue.split()
        if len(words) == 2 and words[0] != "according":
            wanted.setdefault(words[0], set()).add(words[1])
    if not wanted:
        return
    for token in sentence.doc:
        nouns = wanted.get(token.lower_)
        if nouns is None or token.dep_ != "prep":
            continue
        pobj = next((c for c in token.children if c.dep_ == "pobj"), None)
        if pobj is None or pobj.lemma_.lower() not in nouns or pobj.tag_ != "NN":
            continue  # one poll ("in a CNN poll released Monday"), not a standing "in the polls"
        clause = token.head
        for _ in range(3):
            if clause.pos_ in ("VERB", "AUX") or clause.head.i == clause.i:
                break
            clause = clause.head
        if clause.pos_ not in ("VERB", "AUX"):
            continue
        inside = {t.i for t in token.subtree}
        span = _span(sentence, [t for t in clause.subtree if t.i not in inside])
        if span is None:
            continue
        yield _Found(sentence, "according_to", head_phrase(pobj), sentence.start_of(token), sentence.end_of(token),
                     f"{token.lower_} {pobj.lemma_.lower()}", *span)


def _is_full_clause(verb: Token) -> bool:
    """ "that ..." or "to ..." after a noun, not a participle ("a statement released by ...")."""
    return any((c.dep_ == "mark" and c.lower_ == "that") or (c.dep_ == "aux" and c.lower_ == "to")
               or c.dep_ in ("nsubj", "nsubjpass") for c in verb.children)


def _according_to(sentence: ParsedSentence) -> Iterator[_Found]:
    doc = sentence.doc
    for token in doc:
        if token.lower_ != "according" or token.i + 1 >= len(doc) or doc[token.i + 1].lower_ != "to":
            continue
        to = doc[token.i + 1]
        source = next((c for c in to.children if c.dep_ == "pobj"), None)
        if source is None:
            continue
        phrase = {t.i for t in token.subtree} | {t.i for t in to.subtree}
        before = [t for t in doc if t.i < min(phrase) and not t.is_punct]
        after = [t for t in doc if t.i > max(phrase) and not t.is_punct]
        content = before if len(before) >= len(after) else after
        # a semicolon ends a clause: "According to X, A; B" reports A, "A; B, according to X" reports B
        semicolons = [t.i for t in doc if t.text == ";"]
        if content is after:
            content = [t for t in content if not any(min(phrase) < i < t.i for i in semicolons)]
        else:
            content = [t for t in content if not any(t.i < i < min(phrase) for i in semicolons)]
        if token.head.dep_ == "conj" and token.head.pos_ in ("VERB", "AUX"):
            # "X specified no cause, but, according to his agent, Hunter had undergone surgery": the clause it is in
            content = [t for t in token.head.subtree if t.i not in phrase]
        span = _span(sentence, content)
        if span is None:
            continue
        cue_end = sentence.end_of(to)
        yield _Found(sentence, "according_to", list(source.subtree), sentence.start_of(token), cue_end,
                     "according to", *span)


def _speaker_colon(sentence: ParsedSentence, parsed: ParsedArticle) -> Iterator[_Found]:
    """A line that opens with a short name and a colon: "Issa: Clinton's 'Honesty Is In Question'", "TAPPER: ..."."""
    if sentence.offset > 0 and parsed.text[sentence.offset - 1] != "\n":
        return
    match = SPEAKER_COLON.match(sentence.text)
    if match is None or len(match.group(1).split()) > _MAX_SPEAKER_COLON_WORDS:
        return
    doc = sentence.doc
    source = doc.char_span(match.start(1), match.end(1), alignment_mode="expand")
    content = doc.char_span(match.start(2), len(sentence.text), alignment_mode="expand")
    if source is None or content is None or any(t.lower_ in _NOT_SPEAKERS for t in source):
        return
    if any(t.pos_ in ("VERB", "AUX") for t in source) or sum(t.is_alpha for t in content) < 2:
        return  # "He added: ..." is the verb rule's; "Clinton: 547." is a tally
    span = _span(sentence, list(content))
    if span is None:
        return
    colon = sentence.offset + match.end(1) + match.group(0)[match.end(1):].index(":")
    yield _Found(sentence, "speaker_colon", list(source), colon, colon + 1, ":", *span)


def _quote_credits(parsed: ParsedArticle) -> Iterator[_Found]:
    """A quotation credited after a dash: '"He represents our greatest shame." ― Sonya Herridge'."""
    text = parsed.text
    for quote_start, quote_end in parsed.quotes:
        match = _DASH_CREDIT.match(text, quote_end)
        if match is None:
            continue
        dash = match.start(1)
        sentence = next((s for s in parsed.sentences if s.offset <= dash < s.offset + len(s.text)), None)
        if sentence is None:
            continue
        name = sentence.doc.char_span(match.start(2) - sentence.offset, match.end(2) - sentence.offset,
                                      alignment_mode="expand")
        if name is None or quote_end - quote_start < 3:
            continue
        yield _Found(
            sentence, "quote_credit", list(name), dash, dash + 1, match.group(1), *inner(text, quote_start, quote_end)
        )


def _object_is_no_report(verb: Token, content: list[Token], addressee: frozenset[str]) -> bool:
    """An object that a quotation just before a finite cue outranks as what was said: whom it was said to
    ('"...," she told reporters') or what it was said of ('"...," he said of the plan')."""
    if verb.tag_ not in FINITE_TAGS:
        return False
    inside = {t.i for t in content}
    top = [t for t in content if t.head.i not in inside or t.head.i == t.i]
    addressed = verb.lemma_.lower() in addressee
    return any((t.dep_ == "dobj" and addressed) or (t.dep_ == "pobj" and t.head.head.i == verb.i) for t in top)


def _shares_tokens(a: Sequence[Token], b: Sequence[Token]) -> bool:
    return not {t.i for t in a}.isdisjoint(t.i for t in b)


def _clausal_content(verb: Token) -> list[Token] | None:
    for child in verb.children:
        if child.dep_ in ("ccomp", "xcomp"):
            return list(child.subtree)
    for child in verb.children:  # "asked if he was bullied": an indirect question parsed as a modifier
        if child.dep_ == "advcl" and child.i > verb.i and any(
            c.dep_ == "mark" and c.lower_ in ("if", "whether") for c in child.children
        ):
            return list(child.subtree)
    return _after_complementizer(verb)


# Between a cue and the "that" that opens its clause: adverbs and dashes ("alleging - again falsely - that").
_BEFORE_THAT_POS = frozenset({"ADV", "PUNCT"})


def _after_complementizer(verb: Token) -> list[Token] | None:
    """ "noting that at one stage she had trailed by 40 points", parsed with "that" as a preposition: the
    words after a "that" that follows the cue and opens a clause of its own (a subject and a verb), to the
    end of the cue's phrase."""
    doc = verb.doc
    i = verb.i + 1
    while i < len(doc) and doc[i].pos_ in _BEFORE_THAT_POS and doc[i].text not in (",", ";", ":", "."):
        i += 1
    if i >= len(doc) or doc[i].lower_ != "that" or doc[i].dep_ not in ("mark", "prep"):
        return None
    rest = list(doc[i + 1 : verb.right_edge.i + 1])
    if not any(t.dep_ in ("nsubj", "nsubjpass") for t in rest) or not any(t.pos_ in ("VERB", "AUX") for t in rest):
        return None
    return rest


def _object_content(verb: Token, passive: bool, particle: Token | None) -> list[Token] | None:
    """No clause: what was said is the object ("denied the report", "called him a liar", "called for X")."""
    if particle is not None and particle.dep_ == "prep":
        pobj = next((c for c in particle.children if c.dep_ in ("pobj", "pcomp")), None)
        if pobj is not None:
            obj = next((c for c in verb.children if c.dep_ == "dobj" and c.i < particle.i), None)
            if obj is not None:  # "described the growth as not nearly enough": what, then as what
                return [t for t in verb.doc[obj.left_edge.i : particle.right_edge.i + 1]]
            return list(pobj.subtree)
    objects = [c for c in verb.children if c.dep_ in ("dobj", "oprd")]
    if len(objects) == 1:
        complement = next((c for c in verb.children if c.dep_ == "prep" and c.lower_ in _COMPLEMENT_PREPOSITIONS
                           and c.i > objects[0].right_edge.i), None)
        if complement is not None:  # "accusing the network of violating its franchise", "criticized X for Y"
            return [t for t in verb.doc[objects[0].left_edge.i : complement.right_edge.i + 1]]
        return [t for t in objects[0].subtree if not _in_aside(t, objects[0])]
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    if not objects and len(subjects) == 2 and subjects[1].i > verb.i:
        objects = subjects[1:]  # "26 percent said the same", parsed with two subjects
    if objects:
        return [t for c in objects for t in c.subtree]
    pobj = _prepositional_object(verb)
    if pobj is not None and pobj.ent_type_ not in ("DATE", "TIME"):  # "appearing in court on the next day"
        return list(pobj.subtree)
    complement = next((c for c in verb.children if c.dep_ == "acomp"), None)
    if complement is not None:
        return list(complement.subtree)  # "appeared ready to abandon him", "seemed confident"
    answer = next((c for c in verb.children if c.lower_ in _ANSWERS and c.dep_ in ("intj", "advmod", "dobj")), None)
    if answer is not None:
        return [answer]  # "55 percent said so", "he said no"
    if passive:
        subject = next((c for c in verb.children if c.dep_ == "nsubjpass"), None)
        if subject is not None and subject.lower_ not in ("it", "this"):
            return list(subject.subtree)
    return None


def _in_aside(token: Token, head: Token) -> bool:
    """In a relative clause after a comma ("victory in the vote, which was marred by ..."): the writer's aside."""
    for node in (token, *token.ancestors):
        if node.i == head.i:  # spaCy makes a new Token object on each access: compare positions
            return False
        if node.dep_ == "relcl" and node.left_edge.i > 0 and node.doc[node.left_edge.i - 1].text == ",":
            return True
    return False


def _prepositional_object(head: Token) -> Token | None:
    for child in head.children:
        if child.dep_ == "prep" and child.lower_ in _CONTENT_PREPOSITIONS:
            return next((c for c in child.children if c.dep_ in ("pobj", "pcomp")), None)
    return None


def _is_embedded(verb: Token, sentence: ParsedSentence, parsed: ParsedArticle) -> bool:
    """Inside another clause's complement ("it is clear he wants ...", "said she believes ...").

    A governor inside a quotation does not count: '"... people understand that," Lasry told
    Bloomberg' is a parse that runs across the closing mark.
    """
    if verb.dep_ == "parataxis" and any(c.dep_ == "nsubj" for c in verb.children):
        return False  # "He believes, he said, that ...": a parenthetical report, not a complement
    for node in (verb, *verb.ancestors):
        if node.dep_ == "ccomp" or (node.i == verb.i and node.dep_ in _EMBEDDED_DEPS):
            governor = node.head
            return parsed.quote_around(sentence.start_of(governor), sentence.end_of(governor)) is None
    return False


def _in_tweet(text: str, position: int) -> bool:
    """Inside an embedded ``<tweet ...>...</tweet>``: the tweet's own words, not the article's."""
    opening = text.rfind("<tweet ", 0, position)
    if opening == -1:
        return False
    # Archives close a tweet with "</tweet>" or, for an empty one, "<tweet/>".
    closing = min((i for i in (text.find("</tweet>", opening, position), text.find("<tweet/>", opening, position))
                   if i != -1), default=-1)
    return closing == -1


def _rest_after_colon(sentence: ParsedSentence, cue_end: int) -> tuple[int, int] | None:
    """'X stated: ...' with no closed quotation: the rest of the sentence after the colon."""
    after = sentence.text[cue_end - sentence.offset :]
    match = _COLON_AFTER_CUE.match(after)
    if match is None:
        return None
    start = cue_end - sentence.offset + match.end()
    tokens = [t for t in sentence.doc if t.idx >= start]
    return _span(sentence, tokens)


def _span(sentence: ParsedSentence, tokens: Sequence[Token]) -> tuple[int, int] | None:
    tokens = [t for t in tokens if not t.is_space]
    while tokens and (tokens[0].is_punct or tokens[0].dep_ == "mark"):
        tokens = tokens[1:]
    while tokens and tokens[-1].is_punct:
        tokens = tokens[:-1]
    if not tokens:
        return None
    return sentence.start_of(tokens[0]), sentence.end_of(tokens[-1])


def _without_overlaps(found: list[_Found]) -> list[_Found]:
    """One attribution per cue; a cue that sits inside another's content is nested speech, kept."""
    seen: set[int] = set()
    unique = []
    for item in found:
        if item.cue_start in seen:
            continue
        seen.add(item.cue_start)
        unique.append(item)
    return unique


def _to_attribution(
    article_id: str, index: int, item: _Found, parsed: ParsedArticle, mentions: Sequence[Mention], lexicon: Lexicon
) -> Attribution:
    text = parsed.text
    content_start, content_end = item.content_start, item.content_end
    quote = parsed.quote_around(content_start, content_end)
    is_direct = item.rule == "quote_after_colon" or quote is not None
    if quote is not None:
        content_start, content_end = inner(text, *quote)
    else:
        sentence_end = item.sentence.offset + len(item.sentence.text)
        content_end = _to_end_of_cut_quotation(parsed, content_start, content_end, sentence_end)
    speaker_kind, speaker, resolved = resolve_speaker(item.speaker_tokens, item.sentence, parsed, mentions)
    content_tokens = parsed.tokens_between(content_start, content_end)
    predicate = match_predicate(content_tokens, lexicon.predicate_terms, _context_text(parsed, item, content_end))
    if predicate is not None:
        subject = find_subject(content_tokens, predicate.first, mentions, resolved)
    else:
        subject = Subject(None, None, None, "missing")
    sentence_end = item.sentence.offset + len(item.sentence.text)
    confidence = _CONFIDENCE[item.rule] * _SPEAKER_KIND_FACTOR[speaker_kind]
    return Attribution(
        article_id=article_id,
        attribution_index=index,
        sentence_index=item.sentence.sentence_index,
        speaker_start=speaker.start,
        speaker_end=speaker.end,
        speaker_text=speaker.text,
        speaker_resolved_start=resolved.start,
        speaker_resolved_end=resolved.end,
        speaker_resolved_text=resolved.text,
        speaker_kind=speaker_kind,
        cue_start=item.cue_start,
        cue_end=item.cue_end,
        cue_text=text[item.cue_start : item.cue_end],
        cue_lemma=item.cue_lemma,
        content_start=content_start,
        content_end=content_end,
        content_text=text[content_start:content_end],
        is_direct=is_direct,
        is_multi_sentence=content_end > sentence_end or content_start < item.sentence.offset,
        is_negated=bool(predicate and predicate.is_negated),
        predicate_family_id=predicate.term.family_id if predicate else None,
        predicate_term=" ".join(predicate.term.term) if predicate else None,
        predicate_polarity=predicate.polarity if predicate else None,
        subject_start=subject.start,
        subject_end=subject.end,
        subject_text=subject.text,
        subject_kind=subject.kind,
        rule=item.rule,
        confidence=round(confidence, 3),
    )


def _to_end_of_cut_quotation(parsed: ParsedArticle, content_start: int, content_end: int, sentence_end: int) -> int:
    """A content that ends inside a quotation it opened ('X was "mak[ing] matters worse."', where the parse
    stopped at a bracket) runs to that quotation's end, when the quotation closes in the sentence (a
    quotation over several sentences belongs to the attribution that introduces it)."""
    for quote_start, quote_end in parsed.quotes:
        if content_start <= quote_start < content_end < quote_end <= sentence_end + 1:
            end = inner(parsed.text, quote_start, quote_end)[1]
            # only a cut: a content that stops before the quotation's last punctuation is whole
            return end if parsed.text[content_end:end].strip(" .,;:!?…") else content_end
    return content_end


def _context_text(parsed: ParsedArticle, item: _Found, content_end: int) -> str:
    """The content and the sentences just before it, where a predicate's context words may stand."""
    position = next(i for i, s in enumerate(parsed.sentences) if s is item.sentence)
    window_start = parsed.sentences[max(0, position - CONTEXT_SENTENCES)].offset
    return parsed.text[window_start:content_end]


