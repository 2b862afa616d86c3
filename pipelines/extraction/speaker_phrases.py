"""Where a cue's speaker is written: the subject or agent the parse gives the cue, else the noun phrase
that word order puts before or after it when the small parser left the cue without a subject.

What the written speaker stands for (a pronoun's antecedent, a title's holder) is ``speakers.py``'s job.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pipelines.extraction.parsing import ParsedArticle, ParsedSentence
from pipelines.extraction.reported_quotes import in_quote, reported_quote_before
from pipelines.extraction.speakers import RELATIVE_PRONOUNS

if TYPE_CHECKING:
    from spacy.tokens import Doc, Token

# Dependencies through which a verb without a subject borrows its head's ("X came out, saying ...").
_SUBJECT_CLIMB = frozenset({"conj", "xcomp", "advcl", "acl", "dobj", "pobj", "prep", "pcomp", "acomp"})
# Words of a noun phrase, read left or right of a cue when the parse gave the cue no subject.
_NOUN_PHRASE_POS = frozenset({"PROPN", "NOUN", "ADJ", "DET", "NUM"})
_NOUN_HEAD_POS = frozenset({"PROPN", "NOUN"})
FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP"})
# What may stand before a subject: the sentence's start, punctuation, a subordinating conjunction.
_BEFORE_SUBJECT_POS = frozenset({"PUNCT", "SCONJ"})
_WHEN = frozenset({"DATE", "TIME"})
_MAX_ASIDE_TOKENS = 16
_PHRASE_END = frozenset({",", ".", ";", ":", "(", "—", "–", "!", "?"})


def subject_of(verb: Token) -> list[Token]:
    """The speaker: the verb's subject, or, for a conjoined or subordinate verb, its head's."""
    current = verb
    through_noun = False
    for _ in range(5):
        subjects = [c for c in current.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subjects:
            phrase = head_phrase(subjects[0])
            for other in subjects[1:]:  # "said study co-author Ted Scambos": a hyphen split one subject in three
                if other.left_edge.i != phrase[-1].i + 1:
                    break
                phrase += [t for t in other.subtree]
            return _past_dangling_conjunction(phrase)
        if current.i != verb.i and through_noun and current.pos_ in ("VERB", "AUX"):
            # a participle on a noun speaks for the clause of that noun only: "issued a statement saying"
            # is the issuer's; "Echoing an email referencing X, Trump said" is not Trump's
            return []
        if current.dep_ not in _SUBJECT_CLIMB or current.head.i == current.i:
            break
        current = current.head
        through_noun = through_noun or current.pos_ in ("NOUN", "PROPN")
    return []


def subject_by_position(
    verb: Token, sentence: ParsedSentence, parsed: ParsedArticle, speech: frozenset[str]
) -> list[Token]:
    """The speaker of a finite cue the small parser left without a subject, read from word order: the noun
    phrase just before it (", former minister Tomas Brenner said his sister ..." parsed as an apposition of
    an earlier name), or before an aside between commas ("farmer Piet Varga, wearing a straw hat, said"),
    or, for a verb of saying after a quotation or a clause, the one just after it ('"...," added another
    delegate', parsed as its object).  Empty when no whole noun phrase stands there."""
    if verb.tag_ not in FINITE_TAGS:
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
        phrase = noun_phrase_ending_at(doc[i])
    elif _reports_what_stands_before(verb, doc[i], sentence, parsed, speech):
        phrase = noun_phrase_starting_at(verb.i + 1, doc)
    elif doc[i].text == ",":
        phrase = _noun_phrase_before_aside(doc[i])
    else:
        return []
    if not phrase or in_quote(parsed, sentence, phrase):
        return []
    return phrase


def _noun_phrase_before_aside(closing: Token) -> list[Token]:
    """The noun phrase before an aside that ends at the comma ``closing``: "Piet Varga" in "Piet Varga,
    wearing a straw hat, said"; none when the aside runs long or holds other punctuation."""
    doc = closing.doc
    for j in range(closing.i - 1, max(-1, closing.i - _MAX_ASIDE_TOKENS), -1):
        if doc[j].text == ",":
            return noun_phrase_ending_at(doc[j - 1]) if j > 0 and doc[j - 1].pos_ in _NOUN_HEAD_POS else []
        if doc[j].is_punct and doc[j].text not in ("-", "."):
            return []
    return []


def _reports_what_stands_before(
    verb: Token, before: Token, sentence: ParsedSentence, parsed: ParsedArticle, speech: frozenset[str]
) -> bool:
    """A cue after what it reports: a quotation of a few words or more ('"...," added'), or, for a verb of
    saying, a clause and a comma ("..., said a former spokesman")."""
    if before.text == ",":  # "Sorn, appearing at the forum, cited problems": no clause before, no report
        return verb.lemma_.lower() in speech and any(c.dep_ == "ccomp" and c.i < verb.i for c in verb.children)
    return before.is_quote and reported_quote_before(parsed, sentence.start_of(verb)) is not None


def noun_phrase_ending_at(last: Token) -> list[Token]:
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


def noun_phrase_starting_at(first: int, doc: Doc) -> list[Token]:
    """The noun phrase right after an inverted cue ("said Oleg Marko, who ..."), up to its end."""
    last = first
    while last < len(doc) and (doc[last].pos_ in _NOUN_PHRASE_POS or doc[last].tag_ == "POS"
                               or (doc[last].tag_ == "VBN" and doc[last].dep_ == "amod")):  # "retired"
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


def head_phrase(head: Token) -> list[Token]:
    return [t for t in head.subtree if not t.is_punct or t.text in "-'’"]


def is_passive(verb: Token) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)


def agent_of(verb: Token) -> list[Token]:
    """The speaker of a passive cue: "by X", else nobody ("it was reported that ...")."""
    for child in verb.children:
        if child.dep_ == "agent":
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
            if pobj is not None:
                return head_phrase(pobj)
    return []
