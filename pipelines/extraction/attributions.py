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

A relative pronoun speaker ("voters who said") resolves to the noun the clause modifies;
"you", "it", "this", "there" alone are no speaker.

When the content lies in quotation marks, the whole quotation is the content
(so quotes over several sentences stay whole) and the speech is direct.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pipelines.extraction.lexicon import Lexicon
from pipelines.extraction.parsing import ParsedArticle, ParsedSentence
from pipelines.extraction.predicates import Subject, find_subject, match_predicate
from pipelines.extraction.quotes import inner
from pipelines.extraction.records import Attribution, Mention
from pipelines.extraction.speakers import (
    GROUP_PRONOUNS,
    NOT_SPEAKERS,
    ORGANIZATION_HEADS,
    PERSON_PRONOUNS,
    PERSON_TITLES,
    PLURAL_PRONOUNS,
    PLURAL_SPEAKER_LABELS,
    RELATIVE_PRONOUNS,
    SPEAKER_PRONOUNS,
    resolve_pronoun,
    resolve_title,
)

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

CONTEXT_SENTENCES = 2
_CONTENT_PREPOSITIONS = frozenset({"of", "about", "against", "on", "for", "over"})
# After an object, the preposition that says what the object is said to be or to have done ("X as Y", "X of Y").
_COMPLEMENT_PREPOSITIONS = frozenset({"as", "of", "for"})
# Dependencies through which a verb without a subject borrows its head's ("X came out, saying ...").
_SUBJECT_CLIMB = frozenset({"conj", "xcomp", "advcl", "acl", "dobj", "pobj", "prep", "pcomp", "acomp"})
_EDGE_PUNCTUATION = " \t\n,;:-–—"
# Between a quotation and its cue: a comma and at most the speaker ("," he', ", the senator").
_SPEAKER_BEFORE_CUE = re.compile(r"^[,\s]*[^.!?;:\"“”]{0,60}$")
# Between a cue and its quotation: "said:", "told reporters on Monday:", "replied, ", "told CNN, ".
_COLON_BEFORE_QUOTE = re.compile(r"^(?:[^.!?\"“”]{0,80}:|[^.!?\"“”,:;]{0,40},)\s*$")
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
# A dash and a capitalised name of one to five words right after a closing quotation mark.
_DASH_CREDIT = re.compile(r"[ \t]*([―—])[ \t]*([A-Z][\w.’'-]*(?:[ \t]+[A-Z][\w.’'-]*){0,4})")
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
            if _CLAUSE_ONLY not in wanted or not any(c.dep_ == "ccomp" and not _after_comma(token, c)
                                                     for c in token.children):
                continue  # "point" counts only as "point to", "find" only as "find that ..."
            lemma = f"{lemma} {_CLAUSE_ONLY}"
        if particle is None and lemma in naming and content is None and not (
            any(c.dep_ == "oprd" for c in token.children)
            or (token.i + 1 < len(token.doc) and token.nbor(1).is_quote)
        ):
            continue  # "called Sanders", "the race was called", "so-called": no name given
        passive = _is_passive(token)
        if passive:
            speaker = _agent_of(token)
        else:
            speaker = _subject_of(token) or _subject_by_position(token, sentence, parsed, speech)
        if content is None:
            quote = _quote_after_colon(parsed, cue_end) or _rest_after_colon(sentence, cue_end)
            if quote is not None:
                yield _Found(sentence, "quote_after_colon", speaker, cue_start, cue_end, lemma, *quote)
                continue
            content = _object_content(token, passive, particle)
            quote = None
            if content is None or (len(content) == 1 and content[0].pos_ == "PRON") or (
                speaker and speaker[0].i > token.i and _shares_tokens(content, speaker)
            ):
                # "'Come on,' he urged them."; '"Is he running?" asked Mr. Dobrec', the speaker read as the object
                quote = _quote_before(parsed, cue_start)
            elif (particle is None and _object_is_no_report(token, content, lexicon.addressee_cues)
                  and not (speaker and _in_quote(parsed, sentence, speaker))):
                quote = _closed_quote_before(parsed, sentence, cue_start, speaker)
            if quote is not None:
                yield _Found(sentence, "verb_cue", speaker, cue_start, cue_end, lemma, *quote)
                continue
            if speaker and content and content[0].i > token.i and _in_quote(parsed, sentence, speaker):
                # '"...," tweeted former executive Ken Gude' parsed with the quotation as the subject
                quote = parsed.quote_around(sentence.start_of(speaker[0]), sentence.end_of(speaker[-1]))
                yield _Found(sentence, "verb_cue", content, cue_start, cue_end, lemma, *inner(parsed.text, *quote))
                continue
        if content is None and token.dep_ == "parataxis" and token.head is not token:
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
            quote = _reported_quote_before(parsed, cue_start)
            if quote is not None and sentence.start_of(content[0]) <= quote[0]:
                yield _Found(sentence, "verb_cue", speaker, cue_start, cue_end, lemma, *quote)
                continue
        span = _span(sentence, content)
        if span is None:
            continue
        yield _Found(sentence, "verb_cue", speaker, cue_start, cue_end, lemma, *span)


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


def _in_quote(parsed: ParsedArticle, sentence: ParsedSentence, tokens: Sequence[Token]) -> bool:
    return parsed.quote_around(sentence.start_of(tokens[0]), sentence.end_of(tokens[-1])) is not None


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
        speaker = _subject_of(token.head if token.dep_ == "acomp" else token)
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
                source = [t for t in _phrase(child) if t.dep_ != "case"]  # "Trump's" -> "Trump"
            elif child.dep_ in ("prep", "agent") and child.lower_ in ("by", "from") and not source:
                pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
                if pobj is not None:
                    source = _phrase(pobj)
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
            if clause.pos_ in ("VERB", "AUX") or clause.head is clause:
                break
            clause = clause.head
        if clause.pos_ not in ("VERB", "AUX"):
            continue
        inside = {t.i for t in token.subtree}
        span = _span(sentence, [t for t in clause.subtree if t.i not in inside])
        if span is None:
            continue
        yield _Found(sentence, "according_to", _phrase(pobj), sentence.start_of(token), sentence.end_of(token),
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


def _subject_of(verb: Token) -> list[Token]:
    """The speaker: the verb's subject, or, for a conjoined or subordinate verb, its head's."""
    current = verb
    through_noun = False
    for _ in range(5):
        subjects = [c for c in current.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subjects:
            phrase = _phrase(subjects[0])
            for other in subjects[1:]:  # "said study co-author Ted Scambos": a hyphen split one subject in three
                if other.left_edge.i != phrase[-1].i + 1:
                    break
                phrase += [t for t in other.subtree]
            return _past_dangling_conjunction(phrase)
        if current is not verb and through_noun and current.pos_ in ("VERB", "AUX"):
            # a participle on a noun speaks for the clause of that noun only: "issued a statement saying"
            # is the issuer's; "Echoing an email referencing X, Trump said" is not Trump's
            return []
        if current.dep_ not in _SUBJECT_CLIMB or current.head is current:
            break
        current = current.head
        through_noun = through_noun or current.pos_ in ("NOUN", "PROPN")
    return []


# Words of a noun phrase, read left or right of a cue when the parse gave the cue no subject.
_NOUN_PHRASE_POS = frozenset({"PROPN", "NOUN", "ADJ", "DET", "NUM"})
_NOUN_HEAD_POS = frozenset({"PROPN", "NOUN"})
_FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP"})
# What may stand before a subject: the sentence's start, punctuation, a subordinating conjunction.
_BEFORE_SUBJECT_POS = frozenset({"PUNCT", "SCONJ"})
# A quotation shorter than this before a cue is a scare quote ("declares 'revolution,' ignores"), no report.
_MIN_QUOTE_WORDS = 3
_WHEN = frozenset({"DATE", "TIME"})
_MAX_ASIDE_TOKENS = 16
_CLOSING_MARKS = "\"”’'"
_PHRASE_END = frozenset({",", ".", ";", ":", "(", "—", "–", "!", "?"})


def _subject_by_position(
    verb: Token, sentence: ParsedSentence, parsed: ParsedArticle, speech: frozenset[str]
) -> list[Token]:
    """The speaker of a finite cue the small parser left without a subject, read from word order: the noun
    phrase just before it (", former minister Tomas Brenner said his sister ..." parsed as an apposition of
    an earlier name), or before an aside between commas ("farmer Piet Varga, wearing a straw hat, said"),
    or, for a verb of saying after a quotation or a clause, the one just after it ('"...," added another
    delegate', parsed as its object).  Empty when no whole noun phrase stands there."""
    if verb.tag_ not in _FINITE_TAGS:
        return []
    doc = verb.doc
    i = verb.i - 1
    while i >= 0 and (doc[i].tag_ in ("RB", "MD") or (doc[i].dep_ == "aux" and doc[i].head.i == verb.i)):
        i -= 1
    if i >= 0 and doc[i].text == ")":  # "Sen. Anya Dobrec (K-North) said"
        opening = next((j for j in range(i - 1, max(-1, i - _MAX_ASIDE_TOKENS), -1) if doc[j].text == "("), None)
        i = opening - 1 if opening is not None else -1
    if i < 0:
        return []
    if doc[i].pos_ in _NOUN_HEAD_POS:
        phrase = _noun_phrase_ending_at(doc[i])
    elif _reports_what_stands_before(verb, doc[i], sentence, parsed, speech):
        phrase = _noun_phrase_starting_at(verb.i + 1, doc)
    elif doc[i].text == ",":
        phrase = _noun_phrase_before_aside(doc[i])
    else:
        return []
    if not phrase or _in_quote(parsed, sentence, phrase):
        return []
    return phrase


def _noun_phrase_before_aside(closing: Token) -> list[Token]:
    """The noun phrase before an aside that ends at the comma ``closing``: "Piet Varga" in "Piet Varga,
    wearing a straw hat, said"; none when the aside runs long or holds other punctuation."""
    doc = closing.doc
    for j in range(closing.i - 1, max(-1, closing.i - _MAX_ASIDE_TOKENS), -1):
        if doc[j].text == ",":
            return _noun_phrase_ending_at(doc[j - 1]) if j > 0 and doc[j - 1].pos_ in _NOUN_HEAD_POS else []
        if doc[j].is_punct and doc[j].text not in ("-", "."):
            return []
    return []


def _closed_quote_before(
    parsed: ParsedArticle, sentence: ParsedSentence, cue_start: int, speaker: list[Token]
) -> tuple[int, int] | None:
    """A reported quotation that a comma, a question or an exclamation closes just before the cue, in its
    paragraph, with nothing but the speaker between ('"...," she told'): not a quotation that closed a
    sentence before, nor one that another clause reports ('"...", but he also warned the minister')."""
    quote = _reported_quote_before(parsed, cue_start)
    if quote is None or "\n" in parsed.text[quote[1] : cue_start]:
        return None
    # the quotation's last character, or the first after its closing mark: '"...,"' or '"...",'
    last = parsed.text[quote[1] - 1] + parsed.text[quote[1] : cue_start].lstrip(_CLOSING_MARKS)[:1]
    if not any(c in ",?!" for c in last):
        return None
    # the words between may start in the sentence before (a quotation that closed it): a speaker's word is
    # one of the cue's sentence, matched by that sentence and its index
    spoken = {t.i for t in speaker}
    for words_sentence, t in parsed.tokens_between(quote[1], cue_start):
        is_speaker = words_sentence is sentence and t.i in spoken
        if not (t.is_punct or t.is_space or is_speaker or t.pos_ == "ADV"):
            return None
    return quote


def _object_is_no_report(verb: Token, content: list[Token], addressee: frozenset[str]) -> bool:
    """An object that a quotation just before a finite cue outranks as what was said: whom it was said to
    ('"...," she told reporters') or what it was said of ('"...," he said of the plan')."""
    if verb.tag_ not in _FINITE_TAGS:
        return False
    inside = {t.i for t in content}
    top = [t for t in content if t.head.i not in inside or t.head.i == t.i]
    addressed = verb.lemma_.lower() in addressee
    return any((t.dep_ == "dobj" and addressed) or (t.dep_ == "pobj" and t.head.head.i == verb.i) for t in top)


def _shares_tokens(a: Sequence[Token], b: Sequence[Token]) -> bool:
    return not {t.i for t in a}.isdisjoint(t.i for t in b)


def _reports_what_stands_before(
    verb: Token, before: Token, sentence: ParsedSentence, parsed: ParsedArticle, speech: frozenset[str]
) -> bool:
    """A cue after what it reports: a quotation of a few words or more ('"...," added'), or, for a verb of
    saying, a clause and a comma ("..., said a former spokesman")."""
    if before.text == ",":  # "Sorn, appearing at the forum, cited problems": no clause before, no report
        return verb.lemma_.lower() in speech and any(c.dep_ == "ccomp" and c.i < verb.i for c in verb.children)
    return before.is_quote and _reported_quote_before(parsed, sentence.start_of(verb)) is not None


def _reported_quote_before(parsed: ParsedArticle, cue_start: int) -> tuple[int, int] | None:
    """A quotation of a few words or more just before the cue; a shorter one is a scare quote."""
    quote = _quote_before(parsed, cue_start)
    if quote is None or len(parsed.text[quote[0] : quote[1]].split()) < _MIN_QUOTE_WORDS:
        return None
    return quote


def _noun_phrase_ending_at(last: Token) -> list[Token]:
    """The noun phrase that ends at ``last`` and starts a clause; a person's name there stands alone when the
    words before it do not ("at the party convention Sen. Anya Dobrec" -> "Sen. Anya Dobrec")."""
    doc = last.doc
    first = last.i
    while first > 0 and (doc[first - 1].pos_ in _NOUN_PHRASE_POS or doc[first - 1].tag_ == "POS"
                         or doc[first - 1].text in ("-", ".")):
        first -= 1
    if first == 0 or doc[first - 1].pos_ in _BEFORE_SUBJECT_POS:
        phrase = list(doc[first : last.i + 1])
        # "a vote whose rarity, one paper noted, highlighted ...": a relative clause's words, no speaker
        relative = any(t.lower_ in RELATIVE_PRONOUNS or t.lower_ == "whose" for t in phrase)
        return [] if relative or last.ent_type_ in _WHEN else phrase
    if last.ent_type_ != "PERSON":
        return []
    name = next(e for e in doc.ents if e.start <= last.i < e.end)
    if name.end != last.i + 1:
        return []
    first = name.start
    while first > 0 and doc[first - 1].pos_ == "PROPN":  # the title before the name: "Sen."
        first -= 1
    # "voters in Ostrova and Anya Dobrec said": after a preposition or a conjunction, a name is no subject
    return [] if first > 0 and doc[first - 1].pos_ in ("ADP", "CCONJ") else list(doc[first : last.i + 1])


def _noun_phrase_starting_at(first: int, doc: Doc) -> list[Token]:
    """The noun phrase right after an inverted cue ("said Oleg Marko, who ..."), up to its end."""
    last = first
    while last < len(doc) and (doc[last].pos_ in _NOUN_PHRASE_POS or doc[last].tag_ == "POS"):
        last += 1
    phrase = list(doc[first:last])
    ends = last == len(doc) or doc[last].pos_ == "ADP" or doc[last].text in _PHRASE_END
    if not ends or not phrase or phrase[-1].pos_ not in _NOUN_HEAD_POS:
        return []
    if any(t.ent_type_ in _WHEN for t in phrase):
        return []  # 'said Thursday morning on the radio': when, not who
    return phrase


def _past_dangling_conjunction(phrase: list[Token]) -> list[Token]:
    """A subject that ends in "and" ("said study co-author and Oskel University Fellow Anya Dobrec", where the
    parse left the name outside the subject) runs on to the next punctuation, when no verb stands there."""
    if not phrase or phrase[-1].dep_ != "cc":
        return phrase
    doc = phrase[-1].doc
    rest = []
    for token in doc[phrase[-1].i + 1 :]:
        if token.is_punct or token.is_space:
            break
        if token.pos_ in ("VERB", "AUX"):
            return phrase
        rest.append(token)
    return phrase + rest if rest else phrase


def _phrase(head: Token) -> list[Token]:
    return [t for t in head.subtree if not t.is_punct or t.text in "-'’"]


def _is_passive(verb: Token) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)


def _agent_of(verb: Token) -> list[Token]:
    """The speaker of a passive cue: "by X", else nobody ("it was reported that ...")."""
    for child in verb.children:
        if child.dep_ == "agent":
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if pobj is not None:
                return _phrase(pobj)
    return []


def _clausal_content(verb: Token) -> list[Token] | None:
    for child in verb.children:
        if child.dep_ in ("ccomp", "xcomp"):
            return list(child.subtree)
    for child in verb.children:  # "asked if he was bullied": an indirect question parsed as a modifier
        if child.dep_ == "advcl" and child.i > verb.i and any(
            c.dep_ == "mark" and c.lower_ in ("if", "whether") for c in child.children
        ):
            return list(child.subtree)
    return None


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
        if node is head:
            return False
        if node.dep_ == "relcl" and node.left_edge.i > 0 and node.doc[node.left_edge.i - 1].text == ",":
            return True
    return False


def _prepositional_object(head: Token) -> Token | None:
    for child in head.children:
        if child.dep_ == "prep" and child.lower_ in _CONTENT_PREPOSITIONS:
            return next((c for c in child.children if c.dep_ in ("pobj", "pcomp")), None)
    return None


def _quote_after_colon(parsed: ParsedArticle, cue_end: int) -> tuple[int, int] | None:
    for quote_start, quote_end in parsed.quotes:
        if quote_start < cue_end:
            continue
        if _COLON_BEFORE_QUOTE.match(parsed.text[cue_end:quote_start]):
            return inner(parsed.text, quote_start, quote_end)
        return None
    return None


def _is_embedded(verb: Token, sentence: ParsedSentence, parsed: ParsedArticle) -> bool:
    """Inside another clause's complement ("it is clear he wants ...", "said she believes ...").

    A governor inside a quotation does not count: '"... people understand that," Lasry told
    Bloomberg' is a parse that runs across the closing mark.
    """
    if verb.dep_ == "parataxis" and any(c.dep_ == "nsubj" for c in verb.children):
        return False  # "He believes, he said, that ...": a parenthetical report, not a complement
    for node in (verb, *verb.ancestors):
        if node.dep_ == "ccomp" or (node is verb and node.dep_ in _EMBEDDED_DEPS):
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


def _quote_before(parsed: ParsedArticle, cue_start: int) -> tuple[int, int] | None:
    """A quotation just before the cue, in its sentence: "'Just one minute,' he urged them." """
    for quote_start, quote_end in reversed(parsed.quotes):
        if quote_end > cue_start:
            continue
        if _SPEAKER_BEFORE_CUE.match(parsed.text[quote_end:cue_start]):
            return inner(parsed.text, quote_start, quote_end)
        return None
    return None


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
    speaker_kind, speaker, resolved = _speaker(item, mentions, parsed)
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


def _speaker(item: _Found, mentions: Sequence[Mention], parsed: ParsedArticle) -> tuple[str, Subject, Subject]:
    """(kind, the span as written, the span it resolves to)."""
    tokens = item.speaker_tokens
    if not tokens:
        missing = Subject(None, None, None, "missing")
        return "missing", missing, missing
    sentence = item.sentence
    start, end = sentence.start_of(tokens[0]), sentence.end_of(tokens[-1])
    written = Subject(start, end, sentence.text[tokens[0].idx : tokens[-1].idx + len(tokens[-1].text)], "")
    head = next((t for t in tokens if t.head not in tokens or t.head == t), tokens[-1])
    word = head.lower_
    if len(tokens) == 1 and word in RELATIVE_PRONOUNS:
        noun = _relative_antecedent(head)
        if noun is not None:
            antecedent = _as_subject(resolve_pronoun(mentions, noun[0].lower_, start)) if len(noun) == 1 else None
            return "pronoun", written, antecedent or _tokens_subject(sentence, noun)
    if len(tokens) == 1 and word in NOT_SPEAKERS:
        missing = Subject(None, None, None, "missing")
        return "missing", missing, missing  # "you said", "it said", "this says": nobody named
    if len(tokens) == 1 and head.pos_ == "PRON" and word in (PERSON_PRONOUNS | GROUP_PRONOUNS | SPEAKER_PRONOUNS):
        subject = _subject_before(head, mentions)
        if subject is not None:
            return "pronoun", written, _tokens_subject(sentence, subject)
        previous = _previous_subject(head, item.sentence, parsed, mentions)
        if previous is not None:
            return "pronoun", written, _tokens_subject(*previous)
        antecedent = resolve_pronoun(mentions, word, start)
        return "pronoun", written, _as_subject(antecedent) or written
    has_entity = any(t.ent_type_ for t in tokens)
    lemma = head.lemma_.lower()
    if not has_entity and tokens[0].lower_ == "the" and lemma in (ORGANIZATION_HEADS | PERSON_TITLES):
        antecedent = resolve_title(mentions, lemma, start, parsed.text)
        return "title", written, _as_subject(antecedent) or written
    return "named", written, _without_modifier_clause(sentence, tokens, head) or written


# Clauses after a noun that say what its people do or are ("scientists studying patients in X", "voters who
# live in Y"): the place or group inside them is not who the speaker is.
_MODIFIER_CLAUSES = frozenset({"acl", "relcl"})


def _without_modifier_clause(sentence: ParsedSentence, tokens: list[Token], head: Token) -> Subject | None:
    """The span a named speaker resolves by, without a clause that modifies its head noun: "scientists
    studying patients in a Kestrian province" is resolved as "scientists" (no actor), never as Kestria; the
    written span stays the speaker as written.  None when there is no such clause."""
    clause = next((c for c in head.children if c.dep_ in _MODIFIER_CLAUSES and c.i > head.i and c in tokens), None)
    if clause is None or any(c.dep_ == "agent" for c in clause.children):
        return None  # "a statement released by the ministry": the agent is the source, kept
    first = clause.doc[clause.left_edge.i]
    if first.ent_iob_ == "I" or (first.is_upper and len(first.text) > 1) or (first.is_title and first.i > 0):
        return None  # a name read as a clause ("the Committee to Protect Journalists", "WHO report", "Who Gives a Crap")
    kept = [t for t in tokens if t.i < clause.left_edge.i]
    while kept and (kept[-1].is_punct or kept[-1].lower_ in RELATIVE_PRONOUNS):
        kept.pop()
    if not kept or head not in kept:
        return None
    return _tokens_subject(sentence, kept)


def _subject_before(pronoun: Token, mentions: Sequence[Mention] = ()) -> list[Token] | None:
    """The antecedent of "he"/"she"/"they" in a clause below another clause of the same sentence: that
    clause's subject, when it stands before the pronoun and agrees with it ("Waseem appeared at a news
    conference in which he expressed ..." -> Waseem; "The stores were reluctant, according to a report in
    which they said ..." -> The stores), before any nearer name ("ABC Australia")."""
    word = pronoun.lower_
    if word not in PERSON_PRONOUNS and word not in PLURAL_PRONOUNS:
        return None
    clause = pronoun.head
    for ancestor in clause.ancestors:
        subject = next((c for c in ancestor.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is None or subject.i >= pronoun.i or subject.pos_ == "PRON" or subject.lower_ in RELATIVE_PRONOUNS:
            continue
        if word in PERSON_PRONOUNS:
            agrees = subject.ent_type_ == "PERSON" or (
                subject.tag_ == "NNP" and (not subject.ent_type_ or _person_elsewhere(subject, mentions))
            )
        else:
            agrees = subject.tag_ in ("NNS", "NNPS") or subject.ent_type_ in PLURAL_SPEAKER_LABELS
        if not agrees:
            return None  # the nearest subject is someone else: leave it to the mentions
        phrase = [t for t in subject.subtree if t.i <= subject.i and not t.is_punct]
        first = next((i for i, t in enumerate(phrase) if t.i == subject.left_edge.i), 0)
        phrase = phrase[first:]
        return phrase if phrase and phrase[-1].i - phrase[0].i + 1 == len(phrase) else [subject]
    return None


# Titles before a name that make it a person's, whatever entity label the parser gave it ("Dr Martisius").
_PERSON_HONORIFICS = frozenset({"dr", "mr", "mrs", "ms", "prof", "professor", "sir", "dame"})


def _previous_subject(
    pronoun: Token, sentence: ParsedSentence, parsed: ParsedArticle, mentions: Sequence[Mention] = ()
) -> tuple[ParsedSentence, list[Token]] | None:
    """The antecedent of a sentence-opening "He"/"She": the subject of the sentence before, when it names a
    person ("Winch said he ... . He then approached a director" -> Winch), before any nearer name in an
    object ("told Wikinews"); None when that sentence was not parsed or its subject is no person's name."""
    if pronoun.lower_ not in PERSON_PRONOUNS or pronoun.dep_ != "nsubj" or pronoun.head.dep_ != "ROOT":
        return None
    position = next((i for i, s in enumerate(parsed.sentences) if s is sentence), 0)
    if position == 0:
        return None
    before = parsed.sentences[position - 1]
    root = next((t for t in before.doc if t.dep_ == "ROOT"), None)
    if root is None:
        return None  # not parsed (no cue in it): the mentions decide
    subject = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subject is None or subject.pos_ == "PRON":
        return None
    phrase = [t for t in subject.subtree if t.i <= subject.i and not t.is_punct]
    phrase = [t for t in phrase if t.i >= subject.left_edge.i]
    titled = any(t.lower_.rstrip(".") in _PERSON_HONORIFICS for t in phrase)
    if not (subject.ent_type_ == "PERSON"
            or (subject.tag_ == "NNP" and (not subject.ent_type_ or titled or _person_elsewhere(subject, mentions)))):
        return None
    if not phrase or phrase[-1].i - phrase[0].i + 1 != len(phrase):
        phrase = [subject]
    return before, phrase


def _person_elsewhere(name: Token, mentions: Sequence[Mention]) -> bool:
    """The parser may label a surname alone an organization ("Trump had asked"): a person elsewhere in the
    article by that surname makes it a person's name."""
    return any(m.label == "PERSON" and m.text.split()[-1] == name.text for m in mentions)


def _relative_antecedent(pronoun: Token) -> list[Token] | None:
    """The noun phrase a relative clause modifies, without the clause: "voters" in "voters who said"."""
    clause = pronoun.head
    for _ in range(4):
        if clause.dep_ == "relcl":
            break
        if clause.head is clause:
            return None
        clause = clause.head
    else:
        return None
    noun = clause.head
    if noun.i > pronoun.i:
        return None
    phrase = [t for t in noun.subtree if t.i < clause.left_edge.i]
    while phrase and (phrase[-1].is_punct or phrase[-1].lower_ in RELATIVE_PRONOUNS):
        phrase.pop()
    while phrase and phrase[0].is_punct:
        phrase.pop(0)
    if not phrase or noun not in phrase or phrase[-1].i - phrase[0].i + 1 != len(phrase):
        return [noun]
    return phrase


def _tokens_subject(sentence: ParsedSentence, tokens: list[Token]) -> Subject:
    first, last = tokens[0], tokens[-1]
    return Subject(sentence.start_of(first), sentence.end_of(last),
                   sentence.text[first.idx : last.idx + len(last.text)], "")


def _as_subject(mention: Mention | None) -> Subject | None:
    return None if mention is None else Subject(mention.start, mention.end, mention.text, "mention")
