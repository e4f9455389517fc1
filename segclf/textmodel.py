"""The line text model: one fastText pass scores a line's function and its language.

segclf reads the text of each line once. One fastText supervised model is
trained on two kinds of rows: lines labeled with their function (``body``,
``nav``, ``ad``, ``comment``) and sentences labeled with their language. For a
line, fastText averages the vectors of its words, word pairs and character
n-grams (its hidden layer, the costly part); the output rows of the function
labels and those of the languages are then two softmax heads, applied with
numpy to a whole batch at once. A second identifier would read every line
again and double the cost of the slowest step.

The model is kept unquantized: ``get_output_matrix`` needs it, and a quantized
model spends most of its time decoding rows (measured: 75 against 30 us per line).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from itertools import repeat

import numpy as np

from segclf.language import LineLanguages
from segclf.linemodel import softmax
from segclf.lines import MAX_MODEL_CHARS
from segclf.segments import blocked_matmul

__all__ = ["LineTextModel", "load_fasttext", "LABEL_PREFIX", "TOP_LANGUAGES"]

LABEL_PREFIX = "__label__"
#: Texts whose scores a model keeps (about 60 bytes of scores and the text itself each).
CACHE_SIZE = 1 << 17
#: Languages kept per line: the few most likely, so a document costs ``lines x TOP_LANGUAGES`` numbers.
TOP_LANGUAGES = 5


def load_fasttext(path: str | os.PathLike[str]):  # noqa: ANN201 - fasttext has no types
    """Load a fastText model file, silencing its stderr warning about ``load_model``."""
    import fasttext

    fasttext.FastText.eprint = lambda *args, **kwargs: None
    return fasttext.load_model(str(path))


class LineTextModel:
    """A line's function probabilities and its likeliest languages, from one fastText pass.

    ``function_labels`` fixes the order of the function columns; a function label
    the model never saw gets a column of zeros. Every other label of the model is a
    language. Texts must not contain ``\\n``.
    """

    def __init__(
        self,
        model,  # noqa: ANN001 - a fasttext model
        function_labels: Sequence[str],
        *,
        top_languages: int = TOP_LANGUAGES,
        cache_size: int = CACHE_SIZE,
        max_chars: int = MAX_MODEL_CHARS,
    ) -> None:
        self._model = model
        self.max_chars = max_chars  # the characters of a line it reads (``lines.text_model_view``)
        if model.f.isQuant():
            raise ValueError("the line text model must not be quantized (its output matrix is read)")
        labels = [label.removeprefix(LABEL_PREFIX) for label in model.get_labels()]
        output = np.asarray(model.get_output_matrix(), dtype=np.float32)  # (labels, dim)
        self.function_labels: tuple[str, ...] = tuple(function_labels)
        present = [lab for lab in self.function_labels if lab in labels]
        if not present:
            raise ValueError(f"the model has none of the function labels {', '.join(self.function_labels)}")
        self._function_columns = np.array([self.function_labels.index(lab) for lab in present])
        self._function_weights = output[[labels.index(lab) for lab in present]].T.copy()
        language_rows = [i for i, lab in enumerate(labels) if lab not in self.function_labels]
        self.languages: tuple[str, ...] = tuple(labels[i] for i in language_rows)
        self._language_weights = output[language_rows].T.copy()
        self.top_languages = min(top_languages, len(self.languages))
        self.dim = int(model.get_dimension())
        self._cache = _RecentScores(cache_size, len(self.function_labels), self.top_languages)

    def clear_cache(self) -> None:
        """Forget the scores of recent texts (to time a cold run, for example)."""
        self._cache.clear()

    def hidden(self, texts: Sequence[str]) -> np.ndarray:
        """fastText's hidden layer for each text: ``(len(texts), dim)`` float32."""
        import fasttext_pybind  # fastText's C++ module (the wheel installs it beside ``fasttext``)

        if "\n" in "".join(texts):
            raise ValueError("the text model reads one line at a time (remove '\\n')")
        out = np.empty((len(texts), self.dim), dtype=np.float32)
        vector = fasttext_pybind.Vector(self.dim)
        view = np.asarray(vector)  # shares the vector's buffer
        sentence_vector = self._model.f.getSentenceVector
        for i, text in enumerate(texts):
            # The trailing newline adds fastText's end-of-line token, as ``predict`` does.
            sentence_vector(vector, text + "\n")
            out[i] = view
        return out

    def function_probs(self, hidden: np.ndarray) -> np.ndarray:
        """Probabilities of the function labels: ``(n, len(function_labels))`` float32."""
        out = np.zeros((len(hidden), len(self.function_labels)), dtype=np.float32)
        out[:, self._function_columns] = softmax(blocked_matmul(hidden, self._function_weights))
        return out

    def line_languages(self, hidden: np.ndarray) -> LineLanguages:
        """Each line's ``top_languages`` likeliest languages, best first."""
        k = self.top_languages
        if not len(hidden) or not k:
            empty = np.zeros((len(hidden), k))
            return LineLanguages(empty.astype(np.int32), empty.astype(np.float32), self.languages)
        probs = softmax(blocked_matmul(hidden, self._language_weights))
        if k < probs.shape[1]:
            top = np.argpartition(-probs, k - 1, axis=1)[:, :k]
        else:
            top = np.tile(np.arange(k), (len(probs), 1))
        top_probs = np.take_along_axis(probs, top, axis=1)
        order = np.argsort(-top_probs, axis=1, kind="stable")
        columns = np.take_along_axis(top, order, axis=1).astype(np.int32)
        return LineLanguages(columns, np.take_along_axis(top_probs, order, axis=1), self.languages)

    def score(self, texts: Sequence[str]) -> tuple[np.ndarray, LineLanguages]:
        """Function probabilities and likeliest languages of each text, from one pass.

        Texts scored recently come from the cache: boilerplate repeats from page to
        page, and a text's scores depend on the text alone.
        """
        functions, columns, probs, missing = self._cache.lookup(texts)
        if missing:
            todo = [texts[i] for i in missing]
            hidden = self.hidden(todo)
            new_functions, new_languages = self.function_probs(hidden), self.line_languages(hidden)
            functions[missing], columns[missing], probs[missing] = (
                new_functions,
                new_languages.columns,
                new_languages.probs,
            )
            self._cache.store(todo, new_functions, new_languages.columns, new_languages.probs)
        return functions, LineLanguages(columns, probs, self.languages)


class _RecentScores:
    """The text model's outputs for up to ``capacity`` recently scored texts.

    Emptied when full (simple, and what a text scores never depends on it); a lock
    keeps threads that share a model (Dask's threaded scheduler) apart.
    """

    def __init__(self, capacity: int, n_functions: int, k: int) -> None:
        self.capacity = capacity
        self._slots: dict[str, int] = {}
        self._functions = np.zeros((capacity, n_functions), dtype=np.float32)
        self._columns = np.zeros((capacity, k), dtype=np.int32)
        self._probs = np.zeros((capacity, k), dtype=np.float32)
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._slots)

    def clear(self) -> None:
        with self._lock:
            self._slots.clear()

    def lookup(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[int]]:
        """The cached outputs of ``texts`` (rows of the missing ones left zero) and which are missing."""
        with self._lock:
            slots = np.fromiter(map(self._slots.get, texts, repeat(-1)), dtype=np.int64, count=len(texts))
            found = slots >= 0
            functions = np.zeros((len(texts), self._functions.shape[1]), dtype=np.float32)
            columns = np.zeros((len(texts), self._columns.shape[1]), dtype=np.int32)
            probs = np.zeros((len(texts), self._probs.shape[1]), dtype=np.float32)
            functions[found] = self._functions[slots[found]]
            columns[found] = self._columns[slots[found]]
            probs[found] = self._probs[slots[found]]
        return functions, columns, probs, np.flatnonzero(~found).tolist()

    def store(self, texts: Sequence[str], functions: np.ndarray, columns: np.ndarray, probs: np.ndarray) -> None:
        with self._lock:
            new = [i for i, text in enumerate(texts) if text not in self._slots]  # another thread may have been first
            if len(new) > self.capacity:
                return
            if len(self._slots) + len(new) > self.capacity:
                self._slots.clear()
            start = len(self._slots)
            self._slots.update(zip((texts[i] for i in new), range(start, start + len(new))))
            rows = slice(start, start + len(new))
            self._functions[rows], self._columns[rows], self._probs[rows] = functions[new], columns[new], probs[new]
