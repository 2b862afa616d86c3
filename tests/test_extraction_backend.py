"""The spaCy pipeline multiplies its matrices with numpy (OpenBLAS), not BLIS, and parses as stock spaCy does."""

from __future__ import annotations

import json

import spacy
from threadpoolctl import threadpool_info

from pipelines.extraction.parsing import SPACY_MODEL, load_nlp, one_blas_thread
from tests.test_extraction_rules import WIKINEWS, needs_wikinews


def _blas_threads() -> list[int]:
    return [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]


def test_every_layer_of_the_pipeline_multiplies_with_numpy() -> None:
    nlp = load_nlp()
    models = [component.model for _, component in nlp.pipeline if getattr(component, "model", None) is not None]
    layers = [node for model in models for node in model.walk()]
    assert len(layers) > 50
    assert {type(node.ops).__name__ for node in layers} == {"NumpyOps"}
    assert not any(node.ops.use_blis for node in layers)


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
