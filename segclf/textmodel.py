"""A thin, batch-oriented wrapper around a fastText supervised model.

Both text models of segclf (the line-function model and the language
identifier) are fastText classifiers; this wrapper gives them a fixed column
order and one C++ call per batch of lines.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from itertools import chain

import numpy as np

__all__ = ["FastTextClassifier", "load_fasttext"]

_PREFIX = "__label__"


def load_fasttext(path: str | os.PathLike[str]):  # noqa: ANN201 - fasttext has no types
    """Load a fastText model file, silencing its stderr warning about ``load_model``."""
    import fasttext

    fasttext.FastText.eprint = lambda *args, **kwargs: None
    return fasttext.load_model(str(path))


class FastTextClassifier:
    """Probabilities of a fastText model's labels, in a fixed column order.

    ``top_k`` bounds the labels asked of fastText for each line: columns outside
    a line's top ``k`` get probability 0. Texts must not contain ``\\n``.
    """

    def __init__(self, model, *, top_k: int | None = None, order: Sequence[str] | None = None) -> None:  # noqa: ANN001
        self._model = model
        own = tuple(lab[len(_PREFIX) :] for lab in model.get_labels())
        # fastText orders labels by frequency; ``order`` fixes the columns (a label the
        # model never saw gets a column of zeros).
        self.labels: tuple[str, ...] = tuple(order) if order is not None else own
        self._index = {_PREFIX + lab: i for i, lab in enumerate(self.labels) if lab in own}
        self._all_mapped = all(lab in self.labels for lab in own)
        self.top_k = len(own) if top_k is None else min(top_k, len(own))

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        """Return an ``(len(texts), len(labels))`` float32 matrix of probabilities."""
        out = np.zeros((len(texts), len(self.labels)), dtype=np.float32)
        if not texts:
            return out
        columns, probs = self.predict_top(texts)
        rows = np.repeat(np.arange(len(texts)), columns.shape[1])
        np.add.at(out, (rows, columns.ravel()), probs.ravel())  # missing entries add 0
        return out

    def predict_top(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """The ``top_k`` best columns of each text and their probabilities (sparse, for many labels).

        Returns ``(columns, probs)``, both ``(len(texts), top_k)``; a missing entry has column 0 and
        probability 0.
        """
        k = self.top_k
        n = len(texts)
        if not n:
            return np.zeros((0, k), dtype=np.int32), np.zeros((0, k), dtype=np.float32)
        labels, probs = _predict_lines(self._model, texts, k)
        if self._all_mapped and all(
            len(labs) == k for labs in labels
        ):  # the usual case: map all labels in one C-level pass
            index = self._index
            columns = np.fromiter(map(index.__getitem__, chain.from_iterable(labels)), dtype=np.int32, count=n * k)
            out = np.asarray(probs, dtype=np.float32).reshape(n, k)
            return columns.reshape(n, k), np.clip(out, 0.0, 1.0, out=out)
        columns = np.zeros((n, k), dtype=np.int32)
        out = np.zeros((n, k), dtype=np.float32)
        for row, (labs, ps) in enumerate(zip(labels, probs)):
            for j, (lab, p) in enumerate(zip(labs, ps)):
                col = self._index.get(lab)
                if col is not None:
                    columns[row, j] = col
                    out[row, j] = p
        return columns, np.clip(out, 0.0, 1.0, out=out)


def _predict_lines(model, texts: Sequence[str], k: int) -> tuple[list, list]:  # noqa: ANN001
    """``model.predict(list(texts), k=k, threshold=0.0)`` without its per-line Python check.

    fastText reads a line up to ``\\n`` (which adds its end-of-sentence token): each text
    gets one, as ``FastText.predict`` does, after one check of all texts at once.
    """
    if "\n" in "".join(texts):
        raise ValueError("predict processes one line at a time (remove '\\n')")
    return model.f.multilinePredict([t + "\n" for t in texts], k, 0.0, "strict")
