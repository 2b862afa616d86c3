"""The spaCy pipeline runs on our inference ops (numpy's OpenBLAS, not BLIS; maxout without its argmax) and parses
as stock spaCy does."""

from __future__ import annotations

import json

import numpy
import spacy
from thinc.api import LayerNorm, NumpyOps
from threadpoolctl import threadpool_info

from pipelines.extraction import Extractor
from pipelines.extraction.attribute_ruler import BatchAttributeRuler
from pipelines.extraction.inference import inference_ops, layer_norm_forward
from pipelines.extraction.parsing import SPACY_MODEL, load_nlp, one_blas_thread
from pipelines.extraction.records import ArticleText, Sentence
from tests.test_extraction_rules import WIKINEWS, needs_wikinews


def _blas_threads() -> list[int]:
    return [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]


def test_every_layer_of_the_pipeline_multiplies_with_numpy() -> None:
    nlp = load_nlp()
    models = [component.model for _, component in nlp.pipeline if getattr(component, "model", None) is not None]
    layers = [node for model in models for node in model.walk()]
    assert len(layers) > 50
    assert {type(node.ops).__name__ for node in layers} == {"InferenceOps"}
    assert all(isinstance(node.ops, NumpyOps) and not node.ops.use_blis for node in layers)


def test_inference_maxout_takes_the_same_pieces_as_thincs() -> None:
    pieces = numpy.random.default_rng(7).standard_normal((500, 96, 3), dtype=numpy.float32)
    pieces[:10, :, 1] = pieces[:10, :, 0]  # ties
    best, _ = inference_ops().maxout(pieces)
    expected, _ = NumpyOps(use_blis=False).maxout(pieces)
    assert best.flags.c_contiguous and best.dtype == expected.dtype
    assert numpy.array_equal(best, expected)


def test_the_inference_layer_norm_gives_thincs_values() -> None:
    layer = LayerNorm(nI=96)
    layer.initialize()
    rng = numpy.random.default_rng(11)
    layer.set_param("G", rng.standard_normal(96, dtype=numpy.float32))
    layer.set_param("b", rng.standard_normal(96, dtype=numpy.float32))
    X = rng.standard_normal((2_000, 96), dtype=numpy.float32) * 4 + 1
    expected = layer.predict(X)
    assert numpy.array_equal(layer_norm_forward(layer, X, is_train=False)[0], expected)
    norms = [node for _, component in load_nlp().pipeline if getattr(component, "model", None) is not None
             for node in component.model.walk() if node.name == "layernorm"]
    assert norms and all(node._func is layer_norm_forward for node in norms)


@needs_wikinews
def test_the_numpy_backend_tags_parses_and_finds_entities_as_stock_spacy() -> None:
    texts = [json.loads(line)["text"] for line in WIKINEWS.open(encoding="utf-8")][:40]
    stock = spacy.load(SPACY_MODEL)  # thinc's default: BLIS
    assert any(node.ops.use_blis for node in stock.get_pipe("ner").model.walk())

    def annotations(nlp: spacy.Language) -> list[tuple]:
        with one_blas_thread():
            return [(token.i, token.tag_, token.dep_, token.head.i, token.lemma_, token.ent_iob_, token.ent_type_)
                    for doc in nlp.pipe(texts) for token in doc]

    ours = annotations(load_nlp())
    assert len(ours) > 10_000
    assert ours == annotations(stock)


def test_one_blas_thread_holds_every_blas_to_one_thread_inside_the_block_only() -> None:
    import numpy  # noqa: F401 - loads numpy's OpenBLAS

    with one_blas_thread():
        pass
    # A library loaded after the first use brings its own BLAS (great-expectations loads scipy's,
    # as in a pipeline run); it is held too.
    import scipy.linalg  # noqa: F401

    before = _blas_threads()
    assert len(before) >= 2, "numpy's and scipy's OpenBLAS should be loaded"
    with one_blas_thread():
        assert set(_blas_threads()) == {1}
    assert _blas_threads() == before


def _annotations(docs) -> list[tuple]:  # noqa: ANN001 - spaCy Docs
    return [(token.i, token.tag_, token.pos_, str(token.morph), token.lemma_, token.dep_, token.head.i,
             token.ent_iob_, token.ent_type_) for doc in docs for token in doc]


# The English ruler's exceptions of more than one token, by regex and by dependency.
_RULER_EXCEPTIONS = [
    "Y'all gonna see it, and they ain't done.",
    "Let's go, c'mon, there is a cat and there were two.",
    "I know nothin' and 'em folks said it was goin' well.",
    "That is what we did  : twice.",
]


@needs_wikinews
def test_the_deep_parse_sets_the_attributes_stock_spacy_sets() -> None:
    """``Extractor.parse_deep`` runs the attribute ruler over the stream at once and the lemmatizer after it."""
    extractor = Extractor()
    assert extractor._attribute_ruler.batched
    texts = [json.loads(line)["text"] for line in WIKINEWS.open(encoding="utf-8")][:40]
    sentences = [s for i, text in enumerate(texts) for s in extractor.sentences(ArticleText(str(i), text))]
    sentences += [Sentence("x", i, 0, len(text), text, True) for i, text in enumerate(_RULER_EXCEPTIONS)]
    with one_blas_thread():
        ours = _annotations(extractor.parse_deep(sentences))
        stock = _annotations(spacy.load(SPACY_MODEL).pipe(s.text for s in sentences))
    assert len(ours) > 15_000
    assert {(pos, lemma) for _, _, pos, _, lemma, *_ in ours} >= {("AUX", "be"), ("PART", "not"), ("PRON", "you")}
    assert ours == stock


def test_the_batch_attribute_ruler_falls_back_to_spacy_for_patterns_it_does_not_read() -> None:
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LENGTH": {">=": 6}}]], {"POS": "PROPN"})
    ruler.add([[{"LOWER": "cat"}]], {"POS": "NOUN"})
    batch = BatchAttributeRuler(ruler)
    assert not batch.batched
    docs = [nlp.make_doc("Kestria saw a cat")]
    batch(docs)
    assert [token.pos_ for token in docs[0]] == ["PROPN", "", "", "NOUN"]


def test_a_pattern_of_two_tokens_does_not_match_across_two_docs() -> None:
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("attribute_ruler")
    ruler.add([[{"LOWER": "gon"}, {"LOWER": "na", "IS_SPACE": False}]], {"LEMMA": "to"}, index=1)
    batch = BatchAttributeRuler(ruler)
    assert batch.batched
    docs = [nlp.make_doc(text) for text in ("we are gon", "na leave", "we are gon na leave")]
    batch(docs)
    assert [[token.lemma_ for token in doc] for doc in docs] == [["", "", ""], ["", ""], ["", "", "", "to", ""]]
