"""Text in, rows out: sentences, mentions and attributions for a batch of articles.

Fast path: sentences are split by rule, and only candidate sentences (those
holding a cue word, a quotation mark or a leading "Name:") get the full spaCy
pipeline.  The rest get named-entity recognition only, for the mentions, and
not even that when they cannot name anyone: no capital letter after a first
word that is a stop word, or when an earlier batch recognized the same text
(``entity_cache``).  The pipeline is loaded once per process and reused
across batches.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from pipelines.extraction.attribute_ruler import BatchAttributeRuler
from pipelines.extraction.attributions import SPEAKER_COLON, find_attributions
from pipelines.extraction.entity_cache import DEFAULT_CAPACITY, EntityCache
from pipelines.extraction.lexicon import Lexicon, load_lexicon
from pipelines.extraction.mentions import find_mentions
from pipelines.extraction.parsing import ParsedArticle, ParsedSentence, load_nlp, one_blas_thread
from pipelines.extraction.quotes import find_quotes
from pipelines.extraction.records import ArticleText, Attribution, Mention, Sentence
from pipelines.extraction.sentences import split_sentences
from pipelines.settings import SEEDS_DIR

if TYPE_CHECKING:
    from spacy.tokens import Doc

CODE_VERSION = "0.3.9"
# Components that only the deep parse needs; NER alone skips them (its model has its own
# embedding layer: the shared tok2vec feeds only the tagger and the parser).
_DEEP_ONLY = ("tok2vec", "parser", "tagger", "attribute_ruler", "lemmatizer")
# Run by parse_deep after the pipe, on the whole stream.
_AFTER_TAGS = ("attribute_ruler", "lemmatizer")
_QUOTE_MARKS = frozenset('"“”«»„')
_CAPITAL = re.compile(r"[A-Z]")
_WORD = re.compile(r"\w+")


@dataclass
class ParseStreams:
    """A batch's sentences by how much of spaCy each gets."""

    deep: list[Sentence]  # candidates: the full pipeline
    entities_only: list[Sentence]  # may name someone: named-entity recognition only
    tokens_only: list[Sentence]  # the rest: the tokenizer alone


@dataclass
class ExtractionResult:
    sentences: list[Sentence] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    attributions: list[Attribution] = field(default_factory=list)


class Extractor:
    """Reusable extractor: holds the spaCy pipeline and the lexicon.

    >>> extractor = Extractor()
    >>> result = extractor.extract([ArticleText("a1", "Kestria said it would leave.")])
    >>> result.attributions[0].cue_lemma
    'say'
    """

    def __init__(self, seeds_dir: Path = SEEDS_DIR, batch_size: int = 256,
                 entity_cache_size: int = DEFAULT_CAPACITY) -> None:
        self.lexicon: Lexicon = load_lexicon(seeds_dir)
        self.version = f"{CODE_VERSION}+lex.{self.lexicon.digest}"
        self.batch_size = batch_size
        self.entity_cache = EntityCache(entity_cache_size)
        self._nlp = load_nlp()
        self._attribute_ruler = BatchAttributeRuler(self._nlp.get_pipe("attribute_ruler"))
        self._cue_forms = self.lexicon.surface_forms()
        self._stop_words = frozenset(self._nlp.Defaults.stop_words)

    def is_candidate(self, sentence: str) -> bool:
        """Could this sentence hold an attribution?  Cheap test before the parse."""
        return (
            bool(_QUOTE_MARKS.intersection(sentence))
            or self._has_cue_word(sentence)
            or SPEAKER_COLON.match(sentence) is not None
        )

    def _has_cue_word(self, sentence: str) -> bool:
        # A cue word is lowercase inside a sentence; capitalized there it is part of a name ("United
        # States", "State Department", "Project Veritas"). It counts in any case as the first word, and
        # anywhere in a headline in title case ("Minister Says Port Will Reopen").
        words = _WORD.findall(sentence)
        if not words:
            return False
        if words[0].lower() in self._cue_forms or not self._cue_forms.isdisjoint(words):
            return True
        title_case = not any(len(word) >= 4 and word[0].islower() for word in words)
        return title_case and any(word.lower() in self._cue_forms for word in words)

    def may_name_someone(self, sentence: str) -> bool:
        """Could named-entity recognition find an actor here?  Names are capitalized: a sentence
        with no capital letter after a first word that is a stop word ("it was the third in a week.")
        has none (the lowercase "entities" spaCy finds in such sentences of real news are its errors:
        "kerosene" as a person)."""
        if _CAPITAL.search(sentence, 1):
            return True
        first = _WORD.search(sentence)
        return first is not None and first.group().lower() not in self._stop_words

    def extract(self, articles: Iterable[ArticleText]) -> ExtractionResult:
        """Extract a batch; spaCy sees all the batch's sentences in three streams (``parse_streams``), not one
        per article."""
        articles = list(articles)
        quotes = [list(find_quotes(article.text)) for article in articles]
        sentences = [self._sentences(article, q) for article, q in zip(articles, quotes)]
        with one_blas_thread():  # the parse_* methods below run inside it
            docs = self._parse_all([s for article_sentences in sentences for s in article_sentences])
        result = ExtractionResult()
        for article, article_quotes, article_sentences in zip(articles, quotes, sentences):
            parsed = ParsedArticle(
                text=article.text,
                sentences=[ParsedSentence(s.sentence_index, s.start, docs[id(s)], s.text) for s in article_sentences],
                quotes=article_quotes,
            )
            mentions = find_mentions(article.article_id, parsed.sentences)
            result.sentences.extend(article_sentences)
            result.mentions.extend(mentions)
            result.attributions.extend(find_attributions(article.article_id, parsed, mentions, self.lexicon))
        return result

    def sentences(self, article: ArticleText) -> list[Sentence]:
        """The article's sentences, each marked as a candidate for the deep parse or not."""
        return self._sentences(article, list(find_quotes(article.text)))

    def _sentences(self, article: ArticleText, quotes: list[tuple[int, int]]) -> list[Sentence]:
        text = article.text

        def in_quote(start: int, end: int) -> bool:
            return any(q_start < end and start < q_end for q_start, q_end in quotes)

        return [
            Sentence(
                article_id=article.article_id,
                sentence_index=index,
                start=start,
                end=end,
                text=text[start:end],
                is_candidate=in_quote(start, end) or self.is_candidate(text[start:end]),
            )
            for index, (start, end) in enumerate(split_sentences(text))
        ]

    def parse_streams(self, sentences: list[Sentence]) -> ParseStreams:
        """Candidates get the full pipeline; the rest named-entity recognition only, or tokens alone.

        Each stream holds a text once, its first sentence standing for the others: a batch repeats
        sentences (syndicated copies of a story, a statement quoted again), and spaCy parses each
        sentence on its own, so the same text gets the same parse wherever it stands."""
        deep: dict[str, Sentence] = {}
        entities_only: dict[str, Sentence] = {}
        tokens_only: dict[str, Sentence] = {}
        for s in sentences:
            if s.is_candidate:
                deep.setdefault(s.text, s)
            elif self.may_name_someone(s.text):
                entities_only.setdefault(s.text, s)
            else:
                tokens_only.setdefault(s.text, s)
        return ParseStreams(list(deep.values()), list(entities_only.values()), list(tokens_only.values()))

    def parse_deep(self, sentences: list[Sentence]) -> list[Doc]:
        """The full pipeline: tags, parse, lemmas, entities.  The attribute ruler (parts of speech from
        the tags) runs over the whole stream at once, then the lemmatizer that reads them; the entity
        recognizer, next in spaCy's order, reads neither, so it runs before them here."""
        with self._nlp.select_pipes(disable=_AFTER_TAGS):
            docs = list(self._nlp.pipe((s.text for s in sentences), batch_size=self.batch_size))
        self._attribute_ruler(docs)
        return list(self._nlp.get_pipe("lemmatizer").pipe(docs, batch_size=self.batch_size))

    def parse_entities_only(self, sentences: list[Sentence]) -> list[Doc]:
        """Named-entity recognition alone, on the entity model's own embedding layer."""
        with self._nlp.select_pipes(disable=[p for p in _DEEP_ONLY if p in self._nlp.pipe_names]):
            return list(self._nlp.pipe((s.text for s in sentences), batch_size=self.batch_size))

    def parse_tokens_only(self, sentences: list[Sentence]) -> list[Doc]:
        """The tokenizer alone."""
        return [self._nlp.make_doc(s.text) for s in sentences]

    def _parse_all(self, sentences: list[Sentence]) -> dict[int, Doc]:
        streams = self.parse_streams(sentences)
        # Outside the candidates, the text alone decides the stream: (is_candidate, text) names a parse.
        parsed: dict[tuple[bool, str], Doc] = {}
        for stream, parse in ((streams.deep, self.parse_deep), (streams.entities_only, self._recognize_entities),
                              (streams.tokens_only, self.parse_tokens_only)):
            parsed.update(((s.is_candidate, s.text), doc) for s, doc in zip(stream, parse(stream)))
        return {id(s): parsed[(s.is_candidate, s.text)] for s in sentences}

    def _recognize_entities(self, sentences: list[Sentence]) -> list[Doc]:
        """``parse_entities_only``, for the sentences an earlier batch has not recognized already."""
        docs = [self.entity_cache.recall(s.text, self._nlp.make_doc) for s in sentences]
        new = [s for s, doc in zip(sentences, docs) if doc is None]
        recognized = iter(self.parse_entities_only(new))
        for position, doc in enumerate(docs):
            if doc is None:
                docs[position] = doc = next(recognized)
                self.entity_cache.remember(sentences[position].text, doc)
        return docs
