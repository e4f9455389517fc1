"""Per-document operations on the rows of many documents laid end to end.

A batch's non-blank lines form one matrix, document after document, so numpy
runs once per batch rather than once per document (per-document calls cost
more than the arithmetic on a page of ~60 lines). Every operation here gives a
row exactly the value it would get with its document alone: windows stop at
the document's edges, and running sums are taken in fixed point (int64), whose
additions are exact in any order. A document's features therefore never depend
on the other documents of its batch, which keeps segclf deterministic.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

__all__ = ["Segments", "blocked_matmul", "row_blocks"]

#: Fixed-point scale of the running sums: values keep 30 fractional bits (about 1e-9),
#: and int64 holds the sum of 300 million values of up to 25 (a log length) exactly.
_FIXED = 2.0**30
#: Offsets that keep running maxima inside a document (values must lie in [0, 64)).
_DOC_STRIDE = np.int64(1) << 36


@dataclass(frozen=True, slots=True)
class Segments:
    """Which document each row belongs to, and where in it."""

    sizes: np.ndarray  # (n_docs,) rows of each document
    starts: np.ndarray  # (n_docs,) index of each document's first row
    doc: np.ndarray  # (n_rows,) document of each row
    position: np.ndarray  # (n_rows,) index of each row within its document

    @classmethod
    def of_sizes(cls, sizes: np.ndarray | list[int]) -> Segments:
        sizes = np.asarray(sizes, dtype=np.int64)
        starts = np.zeros(len(sizes), dtype=np.int64)
        np.cumsum(sizes[:-1], out=starts[1:])
        doc = np.repeat(np.arange(len(sizes)), sizes)
        return cls(sizes, starts, doc, np.arange(len(doc)) - starts[doc])

    @classmethod
    def single(cls, n_rows: int) -> Segments:
        """All rows in one document."""
        return cls.of_sizes([n_rows])

    @property
    def n_rows(self) -> int:
        return len(self.doc)

    def row_sizes(self) -> np.ndarray:
        """The size of each row's document."""
        return self.sizes[self.doc]

    def slices(self) -> list[slice]:
        """Each document's rows."""
        return [slice(s, s + n) for s, n in zip(self.starts.tolist(), self.sizes.tolist())]

    def _spans(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Each row's index, and the first row and the end of its document."""
        first = self.starts[self.doc]
        return np.arange(self.n_rows), first, first + self.row_sizes()

    def shifted(self, values: np.ndarray, offset: int) -> tuple[np.ndarray, np.ndarray]:
        """Row ``i + offset`` of ``values`` where the row's document has it (else zeros), and whether it does."""
        target = self.position + offset
        exists = (target >= 0) & (target < self.row_sizes())
        rows = np.where(exists, np.arange(self.n_rows) + offset, 0)
        out = values[rows]
        out[~exists] = 0
        return out, exists

    def window_means(self, values: np.ndarray, window: int) -> tuple[np.ndarray, np.ndarray]:
        """Means of ``values`` (n, k) over the ``window`` rows before and the ``window`` rows after each row.

        Zero where the document has no such row; float64.
        """
        prefix = _prefix_sums(values)
        idx, first, end = self._spans()
        lo = np.maximum(idx - window, first)
        hi = np.minimum(idx + 1 + window, end)
        before = _means(prefix[idx] - prefix[lo], idx - lo)
        after = _means(prefix[hi] - prefix[idx + 1], hi - idx - 1)
        return before, after

    def context(self, values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Mean and maximum over all rows before and all rows after each row, within its document.

        ``values`` (n, k) must lie in [0, 64) (probabilities); zeros where there is no
        row before (or after); float64.
        """
        prefix = _prefix_sums(values)
        idx, first, end = self._spans()
        before_mean = _means(prefix[idx] - prefix[first], idx - first)
        after_mean = _means(prefix[end] - prefix[idx + 1], end - idx - 1)
        return before_mean, after_mean, *self._running_maxima(values)

    def _running_maxima(self, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Maximum over the rows before and after each row of its document (0 where none)."""
        fixed = _to_fixed(values)
        n, k = fixed.shape
        before = np.zeros((n, k), dtype=np.int64)
        after = np.zeros((n, k), dtype=np.int64)
        if n > 1:
            # Later documents sit higher, so a running maximum never reaches back into an earlier one.
            offset = (self.doc * _DOC_STRIDE)[:, None]
            running = np.maximum.accumulate(fixed + offset, axis=0)
            has_before = self.position[1:] > 0
            before[1:][has_before] = (running[:-1] - offset[1:])[has_before]
            offset_back = ((len(self.sizes) - 1 - self.doc) * _DOC_STRIDE)[:, None]
            running_back = np.maximum.accumulate((fixed + offset_back)[::-1], axis=0)[::-1]
            has_after = self.position[:-1] < self.row_sizes()[:-1] - 1
            after[:-1][has_after] = (running_back[1:] - offset_back[:-1])[has_after]
        return before / _FIXED, after / _FIXED

    def sums(self, values: np.ndarray) -> np.ndarray:
        """Per-document column sums of ``values`` (n, k): ``(n_docs, k)`` float64.

        ``np.bincount`` adds each document's rows in order, the same additions as for
        the document alone.
        """
        n, k = values.shape
        bins = (self.doc[:, None] * k + np.arange(k)).ravel()
        totals = np.bincount(bins, weights=values.ravel(), minlength=len(self.sizes) * k)
        return totals.reshape(len(self.sizes), k)

    def medians(self, values: np.ndarray) -> np.ndarray:
        """Each document's median of ``values`` (n,), in ``values``' dtype (empty documents: 0)."""
        if not self.n_rows:
            return np.zeros(len(self.sizes), dtype=values.dtype)
        ordered = values[np.lexsort((values, self.doc))]
        last = self.n_rows - 1
        low = np.minimum(self.starts + np.maximum(self.sizes - 1, 0) // 2, last)
        high = np.minimum(self.starts + self.sizes // 2, last)
        medians = (ordered[low] + ordered[high]) / 2  # as np.median: the mean of the middle two
        return np.where(self.sizes > 0, medians, 0).astype(values.dtype)


def _to_fixed(values: np.ndarray) -> np.ndarray:
    return np.rint(values.astype(np.float64) * _FIXED).astype(np.int64)


def _prefix_sums(values: np.ndarray) -> np.ndarray:
    """``prefix[i]`` = sum of rows before ``i``, exact in fixed point."""
    prefix = np.zeros((len(values) + 1, values.shape[1]), dtype=np.int64)
    np.cumsum(_to_fixed(values), axis=0, out=prefix[1:])
    return prefix


def _means(sums: np.ndarray, counts: np.ndarray) -> np.ndarray:
    return sums / (np.maximum(counts, 1)[:, None] * _FIXED)


#: Rows per matrix product in ``row_blocks`` and ``blocked_matmul``.
MATMUL_BLOCK = 256


def row_blocks(a: np.ndarray) -> Iterator[tuple[slice, np.ndarray]]:
    """``a``'s rows in blocks of exactly ``MATMUL_BLOCK`` rows: each block's rows of ``a`` and the block.

    The last block is zero-padded to full size: BLAS picks its kernels by matrix size,
    and a row's result can change in the last bit with the number of rows around it
    (measured with OpenBLAS). With every product the same size, each row of a result
    depends on that row of ``a`` alone.
    """
    n = len(a)
    for start in range(0, n, MATMUL_BLOCK):
        stop = min(start + MATMUL_BLOCK, n)
        if stop - start == MATMUL_BLOCK:
            yield slice(start, stop), a[start:stop]
        else:
            padded = np.zeros((MATMUL_BLOCK, a.shape[1]), dtype=a.dtype)
            padded[: stop - start] = a[start:stop]
            yield slice(start, stop), padded


def blocked_matmul(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a @ b`` computed in blocks of exactly ``MATMUL_BLOCK`` rows (``row_blocks``)."""
    out = np.empty((len(a), b.shape[1]), dtype=np.result_type(a, b))
    for rows, block in row_blocks(a):
        out[rows] = (block @ b)[: rows.stop - rows.start]
    return out
