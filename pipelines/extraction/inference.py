"""spaCy's models made faster for prediction only: the same arithmetic, fewer passes.

``for_inference(nlp)`` changes the loaded pipeline's thinc layers in place:
- every layer runs on ``inference_ops()``: matrices multiplied with numpy (OpenBLAS) instead of
  thinc's default, BLIS (the same products, about three times as fast on one core of the machine
  they were measured on), and a ``maxout`` that takes the largest piece with numpy's ``maximum``
  without recording which piece won (thinc keeps that for the backward pass, in a loop that took a
  fifth of the entity model's time);
- layer normalization computes the mean once and the centred values once (thinc's forward
  computes each twice: ``X.var`` recomputes the mean), with the same numpy operations in the same
  order, so the same values.

Each step is measured in docs/performance.md; ``tests/test_extraction_backend.py`` checks that the
pipeline tags, parses, lemmatizes and finds entities exactly as stock spaCy does.  Training through
these layers would fail: nothing here runs a backward pass.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy

if TYPE_CHECKING:
    from spacy.language import Language
    from thinc.api import Model, NumpyOps


def for_inference(nlp: Language) -> Language:
    """``nlp`` with every layer of its models on ``inference_ops()`` and its layer normalizations
    on ``layer_norm_forward``; returns it."""
    ops = inference_ops()
    for _, component in nlp.pipeline:
        if getattr(component, "model", None) is not None:
            for layer in component.model.walk():
                layer.ops = ops
                if layer.name == "layernorm":
                    layer._func = layer_norm_forward  # thinc keeps a layer's forward function there
    return nlp


def inference_ops() -> NumpyOps:
    """thinc's numpy backend without BLIS, with a maxout for prediction only."""
    from thinc.api import NumpyOps

    class InferenceOps(NumpyOps):
        name = "numpy-inference"

        def maxout(self, X):  # noqa: ANN001, ANN202 - thinc's signature: (N, nO, nP) floats in
            pieces = X.shape[2]
            best = numpy.maximum(X[:, :, 0], X[:, :, 1]) if pieces > 1 else X[:, :, 0].copy()
            for piece in range(2, pieces):
                numpy.maximum(best, X[:, :, piece], out=best)
            return best, None  # no argmax: nothing here runs a backward pass

    return InferenceOps(use_blis=False)


def layer_norm_forward(model: Model, X: numpy.ndarray, is_train: bool) -> tuple[numpy.ndarray, object]:
    """thinc's ``LayerNorm`` forward (``thinc.layers.layernorm``) for prediction: ``X.var`` is
    numpy's mean, centre, square, sum, divide; here the mean and the centred values are kept
    instead of computed again, and the scaling is done in place."""
    if is_train:
        raise NotImplementedError("layers prepared by for_inference only predict")
    mu = X.mean(axis=1, keepdims=True)
    centred = X - mu
    var = numpy.multiply(centred, centred).sum(axis=1, keepdims=True)
    var /= X.shape[1]
    var += 1e-08
    centred *= var ** (-1.0 / 2.0)
    centred *= model.get_param("G")
    centred += model.get_param("b")
    return centred, _no_backward_pass


def _no_backward_pass(dY: numpy.ndarray) -> numpy.ndarray:
    raise NotImplementedError("layers prepared by for_inference only predict")
