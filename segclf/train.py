"""Fitting a segmentation model from labeled documents.

The recipe, in the order of the data path:

1. the *text model* (fastText, character n-grams) learns a line's function
   (body, nav, ad, comment) from its text alone, in every language, and, in
   the same model, the language of sentences of a language-identification
   corpus: one pass over a line gives both (``segclf.textmodel``);
2. stage 1 (a small network) reads the text model's scores, shallow features,
   language evidence and the neighbouring lines;
3. stage 2, the sequence pass, revises stage 1 with the neighbours' stage-1
   probabilities.

Later stages must be trained on what earlier stages say about documents they
have *not* seen, or they learn to trust over-fitted scores: the text model and
stage 1 are cross-fitted over ``folds`` groups of documents.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import os
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from segclf.features import SHALLOW_NAMES
from segclf.labeled import LabeledDocument
from segclf.labels import SCORED_LABELS, is_blank
from segclf.language import has_own_language, tokens
from segclf.linemodel import LineClassifier
from segclf.lines import feature_view, text_model_view
from segclf.model import ADAPTER_OWN, PreparedDocument, SegmentationModel, prepare_documents
from segclf.sequence import Scope, sequence_features
from segclf.store import save_model
from segclf.textmodel import LABEL_PREFIX, LineTextModel, load_fasttext

__all__ = [
    "TEXT_LABELS",
    "gold_indices",
    "TrainSettings",
    "fit_text_model",
    "read_language_rows",
    "language_labels",
    "fit_segmentation_model",
    "average_models",
    "stopwords_from_lines",
]

log = logging.getLogger(__name__)
TEXT_LABELS: tuple[str, ...] = ("body", "nav", "ad", "comment")
Progress = Callable[[str], None]


@dataclass(frozen=True, kw_only=True)
class TrainSettings:
    """Parameters of a training run.

    ``training.train_model`` builds the shipped model with these defaults, except
    ``max_rows``, which it raises (its ``--max-rows``).
    """

    folds: int = 3
    text_dim: int = 24
    text_epoch: int = 6
    text_buckets: int = 100_000  # n-gram rows: the model is stored unquantized, so they set its size
    text_min_count: int = 20  # rarer words keep only their n-grams (the vocabulary sets the size too)
    text_minn: int = 2
    text_maxn: int = 5
    text_max_repeats: int = 3  # identical (text, label) pairs kept per text-model training set
    text_lr: float = 0.4  # first learning rate tried (lower ones follow if fastText diverges)
    hidden: tuple[int, ...] = (96,)
    max_rows: int = 250_000  # lines per stage fit (a random sample of larger sets)
    mlp_iter: int = 20
    mlp_alpha: float = 1e-4  # L2 penalty of the stage networks
    threads: int = 2  # fastText training threads: at least 11 are started (see _MIN_FASTTEXT_THREADS)
    seed: int = 0
    class_weight_power: float = 0.5  # rare classes are up-weighted by (1/frequency) ** power
    sequence_scope: Scope = "document"  # what the sequence pass sees (``segclf.sequence``)
    sequence_class_weight_power: float = 0.3  # the same up-weighting for the sequence pass (dev-set choice)
    # Share of the languages that each fold's text model does not learn to name, so that later
    # stages also see pages in a language the text model does not know (``_languages_hidden_from``).
    unseen_language_share: float = 0.15
    # Whether those folds' text models also leave out the pages in the hidden languages, so that
    # their menu words and ad markers are unseen too, as on a page in a language never trained on
    # (since v22; see the model card).
    hide_language_pages: bool = True
    extra: Mapping[str, object] = field(default_factory=dict)

    def record(self) -> dict[str, object]:
        """The settings as a model's metadata keeps them (``extra`` merged in)."""
        return {k: v for k, v in vars(self).items() if k != "extra"} | dict(self.extra)

    @classmethod
    def of_model(cls, metadata: Mapping[str, object]) -> TrainSettings:
        """The settings a model records in its metadata (defaults where it records none).

        The learning rate is left at its default: training lowers it where fastText diverges.
        A model that records no ``hide_language_pages`` is older than the setting and was
        trained without it.
        """
        recorded = dict(metadata.get("settings") or {})  # type: ignore[call-overload]
        known = {f.name for f in dataclasses.fields(cls)} - {"extra", "text_lr"}
        settings = {"hide_language_pages": False} | {k: v for k, v in recorded.items() if k in known}
        if "hidden" in settings:
            settings["hidden"] = tuple(settings["hidden"])  # a list in the manifest's JSON
        return cls(**settings, extra={k: v for k, v in recorded.items() if k not in known | {"text_lr"}})


def _fold_of(doc: LabeledDocument, folds: int) -> int:
    """The cross-fitting fold of ``doc``: documents that share ``extra["group"]`` (a page and
    the excerpts cut from it) share a fold, so no text model scores lines it learned."""
    key = str(doc.extra.get("group", doc.id))
    return int(hashlib.sha1(key.encode("utf-8")).hexdigest()[:8], 16) % folds


def _languages_hidden_from(
    fold: int, languages: frozenset[str], keep: frozenset[str], share: float, seed: int
) -> frozenset[str]:
    """Languages that fold ``fold``'s text model is not taught to name.

    Users run segclf on pages in languages its text model has never seen. Stage 1
    and the sequence pass learn from out-of-fold scores, so hiding a few languages
    from each fold's text model shows them such pages: without it, every training
    page had a language the model could name, and on pages in unseen languages the
    model called 7% of the lines in the page's own language ``foreign`` (six in ten of
    its ``foreign`` calls there were wrong). ``keep`` (the languages of
    real pages) is never hidden. The choice is a hash, the same in every run.
    """

    def draw(lang: str) -> float:
        digest = hashlib.sha1(f"{seed}:{fold}:{lang}".encode()).hexdigest()[:8]
        return int(digest, 16) / 0xFFFFFFFF

    return frozenset(lang for lang in languages - keep if draw(lang) < share)


def _fold_text_documents(
    docs: Sequence[LabeledDocument], folds: Sequence[int], fold: int, hidden_pages: frozenset[str]
) -> list[LabeledDocument]:
    """The documents fold ``fold``'s text model learns from: the other folds', less the pages in ``hidden_pages``."""
    return [d for d, f in zip(docs, folds) if f != fold and d.lang not in hidden_pages]


def _without_languages(language_rows: Sequence[str], hidden: frozenset[str]) -> list[str]:
    return [row for row in language_rows if _row_language(row) not in hidden]


def _text_training_lines(
    docs: Sequence[LabeledDocument], max_repeats: int, languages: frozenset[str] = frozenset()
) -> list[str]:
    """The text model's rows from labeled documents: each line with its function, and again with its language.

    A line that has a language of its own, in a document whose language is among
    ``languages``, is also a row of that language: the language head then learns
    what menu words, bylines and reader comments in a language look like, not only
    sentences (without them it named English comments Malayalam).
    """
    seen: Counter[tuple[str, str]] = Counter()
    rows = []
    for doc in docs:
        lang = doc.lang if doc.lang in languages else None
        for text, label in zip(doc.lines, doc.labels):
            if label not in TEXT_LABELS or is_blank(text):
                continue
            view = feature_view(text)
            model_text = text_model_view(view)  # what the text model scores at inference
            targets = [label, lang] if lang is not None and has_own_language(view) else [label]
            for target in targets:
                seen[(model_text, target)] += 1
                if seen[(model_text, target)] <= max_repeats:
                    rows.append(f"__label__{target} {model_text}")
    return rows


#: fastText fills its input matrix with random values in tenths, one tenth per training thread
#: (``DenseMatrix::uniformThread``): with fewer than 11 threads the rest stays zero, and
#: training raised ``Encountered NaN`` on sets that train cleanly with 11 (measured on 7 settings).
_MIN_FASTTEXT_THREADS = 11


def _train_fasttext(**params: object):  # noqa: ANN202 - fasttext has no types
    """``fasttext.train_supervised`` with every input row initialised, retried if it reports NaN.

    Returns the model and the learning rate it was trained with. If fastText still
    reports NaN (a diverging or degenerate set), it is retried with other seeds,
    then with smaller learning rates.
    """
    import fasttext

    first = float(params.pop("lr", 0.4))  # type: ignore[arg-type]
    seed = int(params.pop("seed", 0))  # type: ignore[call-overload]
    threads = max(int(params.pop("thread", 1)), _MIN_FASTTEXT_THREADS)  # type: ignore[call-overload]
    rates = [first, *(r for r in (0.15, 0.05) if r < first)]
    for lr, attempt_seed in [(lr, seed + k) for lr in rates for k in range(3)]:
        try:
            model = fasttext.train_supervised(**params, lr=lr, thread=threads, seed=attempt_seed)
            return model, lr
        except RuntimeError as exc:
            if "NaN" not in str(exc):
                raise
            log.warning("fastText reported NaN (lr=%s, seed %s); retrying", lr, attempt_seed)
    raise RuntimeError("fastText diverged at every learning rate and seed: is the training set degenerate?")


def read_language_rows(path: str | os.PathLike[str]) -> list[str]:
    """The ``__label__<iso> sentence`` rows of a language-identification corpus (``training.lid_corpus``)."""
    rows = Path(path).read_text(encoding="utf-8").splitlines()
    bad = next((r for r in rows if not r.startswith(LABEL_PREFIX)), None)
    if bad is not None:
        raise ValueError(f"{path}: every row must be '__label__<language> text', found {bad[:60]!r}")
    clash = language_labels(rows) & set(TEXT_LABELS)
    if clash:
        raise ValueError(f"{path}: language labels clash with function labels: {', '.join(sorted(clash))}")
    return rows


def language_labels(language_rows: Sequence[str]) -> frozenset[str]:
    """The languages of ``__label__<iso> sentence`` rows."""
    return frozenset(map(_row_language, language_rows))


def _row_language(row: str) -> str:
    """The language of one ``__label__<iso> sentence`` row."""
    return row.split(" ", 1)[0].removeprefix(LABEL_PREFIX)


def fit_text_model(
    docs: Sequence[LabeledDocument],
    language_rows: Sequence[str],
    out_file: str | os.PathLike[str],
    settings: TrainSettings,
) -> tuple[LineTextModel, float]:
    """Train the line text model: the function of the lines of ``docs`` and the language of ``language_rows``.

    Returns it loaded, and the learning rate it needed (``settings.text_lr`` unless
    fastText diverged at that rate).
    """
    rows = _text_training_lines(docs, settings.text_max_repeats, language_labels(language_rows))
    if len({r.split(" ", 1)[0] for r in rows} & {LABEL_PREFIX + lab for lab in TEXT_LABELS}) < 2:
        raise ValueError("the text model needs lines of at least two of body/nav/ad/comment")
    rows.extend(language_rows)
    rng = np.random.default_rng(settings.seed)
    rng.shuffle(rows)
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as fh:
        fh.write("\n".join(rows) + "\n")
        train_file = fh.name
    del rows
    try:
        model, lr = _train_fasttext(
            input=train_file,
            lr=settings.text_lr,
            dim=settings.text_dim,
            epoch=settings.text_epoch,
            wordNgrams=2,
            minn=settings.text_minn,
            maxn=settings.text_maxn,
            minCount=settings.text_min_count,
            bucket=settings.text_buckets,
            thread=settings.threads,
            seed=settings.seed,
            verbose=0,
            loss="softmax",
        )
        model.save_model(str(out_file))
    finally:
        os.unlink(train_file)
    return LineTextModel(load_fasttext(out_file), TEXT_LABELS), lr


def stopwords_from_lines(lines_by_lang: Mapping[str, Sequence[str]], size: int = 80) -> dict[str, frozenset[str]]:
    """The most frequent tokens of each language: jusText's stop-word share without hand lists."""
    result = {}
    for lang, lines in lines_by_lang.items():
        counts: Counter[str] = Counter()
        for line in lines:
            counts.update(tokens(line))
        result[lang] = frozenset(w for w, _ in counts.most_common(size))
    return result


@dataclass
class _Rows:
    """Stage inputs gathered from many documents, with their gold labels."""

    features: list[np.ndarray] = field(default_factory=list)
    stage1: list[np.ndarray] = field(default_factory=list)
    labels: list[np.ndarray] = field(default_factory=list)
    doc_ids: list[str] = field(default_factory=list)


def gold_indices(doc: LabeledDocument, prepared: PreparedDocument) -> np.ndarray:
    """Gold class index of each non-blank line (-1 where the gold says blank)."""
    index = {lab: i for i, lab in enumerate(SCORED_LABELS)}
    return np.array([index.get(doc.labels[i], -1) for i in prepared.nonblank], dtype=np.int64)


def _sample_weights(y: np.ndarray, power: float) -> np.ndarray:
    counts = np.bincount(y, minlength=len(SCORED_LABELS)).astype(np.float64)
    per_class = np.where(counts > 0, (counts.sum() / np.maximum(counts, 1)) ** power, 0.0)
    return per_class[y]


def _subsample(n: int, max_rows: int, seed: int) -> np.ndarray:
    if n <= max_rows:
        return np.arange(n)
    return np.sort(np.random.default_rng(seed).choice(n, size=max_rows, replace=False))


def _fit_stage(
    X: np.ndarray, y: np.ndarray, settings: TrainSettings, seed: int, class_weight_power: float | None = None
) -> LineClassifier:
    keep = _subsample(len(y), settings.max_rows, seed)
    X, y = X[keep], y[keep]
    return LineClassifier.fit(
        X,
        y,
        n_classes=len(SCORED_LABELS),
        hidden=settings.hidden,
        max_iter=settings.mlp_iter,
        alpha=settings.mlp_alpha,
        sample_weight=_sample_weights(
            y, settings.class_weight_power if class_weight_power is None else class_weight_power
        ),
        random_state=seed,
    )


def _prepare(
    docs: Sequence[LabeledDocument],
    text: LineTextModel,
    stopwords: Mapping[str, frozenset[str]],
) -> list[PreparedDocument]:
    out: list[PreparedDocument] = []
    for start in range(0, len(docs), 512):
        out.extend(prepare_documents([d.text for d in docs[start : start + 512]], text, stopwords))
    return out


def _stack(prepared: Sequence[PreparedDocument], docs: Sequence[LabeledDocument]) -> tuple[np.ndarray, np.ndarray]:
    X = np.vstack([p.features for p in prepared if len(p.nonblank)])
    y = np.concatenate([gold_indices(d, p) for d, p in zip(docs, prepared) if len(p.nonblank)])
    return X, y


def fit_segmentation_model(
    train_docs: Sequence[LabeledDocument],
    calibration_docs: Sequence[LabeledDocument],
    *,
    language_rows: Sequence[str],
    stopwords: Mapping[str, frozenset[str]],
    out: str | os.PathLike[str],
    settings: TrainSettings = TrainSettings(),
    metadata: Mapping[str, object] | None = None,
    progress: Progress = log.info,
) -> SegmentationModel:
    """Fit every stage on ``train_docs``, calibrate on ``calibration_docs``, and save to ``out``.

    ``language_rows`` (``read_language_rows``) teach the text model the languages it reports.
    """
    from segclf.store import load_model

    if not train_docs:
        raise ValueError("train_docs must hold at least one document, got none")
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="segclf-train-") as tmp:  # removed even when training fails
        work = Path(tmp)

        # The shipped text model first: the fold models below use the learning rate it
        # needed, so that stage 1 is trained on outputs like the ones it will be given.
        progress("text model on all training documents")
        text_file = work / "text.bin"
        text, text_lr = fit_text_model(train_docs, language_rows, text_file, settings)
        fold_settings = dataclasses.replace(settings, text_lr=text_lr)

        # Out-of-fold stage-1 inputs: each fold's lines are scored by a text model that never saw them.
        folds = [_fold_of(d, settings.folds) for d in train_docs]
        oof_prepared: list[PreparedDocument | None] = [None] * len(train_docs)
        real_page_languages = frozenset(str(d.lang) for d in train_docs if not str(d.source).startswith("composed"))
        languages = language_labels(language_rows)
        for k in range(settings.folds):
            hidden = _languages_hidden_from(
                k, languages, real_page_languages, settings.unseen_language_share, settings.seed
            )
            inside = _fold_text_documents(train_docs, folds, k, hidden if settings.hide_language_pages else frozenset())
            held = [i for i, f in enumerate(folds) if f == k]
            if not held or not inside:
                continue
            progress(
                f"text model, fold {k + 1}/{settings.folds}: {len(inside)} documents, "
                f"{len(hidden)} languages hidden ({', '.join(sorted(hidden)) or 'none'})"
                + (", their pages too" if settings.hide_language_pages else "")
            )
            rows_k = _without_languages(language_rows, hidden)
            text_k, _ = fit_text_model(inside, rows_k, work / f"text{k}.bin", fold_settings)
            for i, p in zip(held, _prepare([train_docs[i] for i in held], text_k, stopwords)):
                oof_prepared[i] = p
        prepared = [p for p in oof_prepared if p is not None]
        used_docs = [d for d, p in zip(train_docs, oof_prepared) if p is not None]
        X1, y1 = _stack(prepared, used_docs)
        valid = y1 >= 0
        progress(f"stage 1 on {int(valid.sum())} lines")

        # Out-of-fold stage-1 probabilities feed the sequence pass.
        line_folds = np.concatenate(
            [
                np.full(len(p.nonblank), _fold_of(d, settings.folds))
                for d, p in zip(used_docs, prepared)
                if len(p.nonblank)
            ]
        )
        stage1_oof = np.zeros((len(y1), len(SCORED_LABELS)), dtype=np.float32)
        for k in range(settings.folds):
            train_rows = valid & (line_folds != k)
            held_rows = line_folds == k
            if not held_rows.any() or not train_rows.any():
                continue
            progress(f"stage 1, fold {k + 1}/{settings.folds}")
            model_k = _fit_stage(X1[train_rows], y1[train_rows], settings, settings.seed + k)
            stage1_oof[held_rows] = model_k.predict_proba(X1[held_rows])
        stage1 = _fit_stage(X1[valid], y1[valid], settings, settings.seed)

        X2 = _sequence_matrix(prepared, X1, stage1_oof, settings.sequence_scope)
        progress(f"sequence pass on {int(valid.sum())} lines")
        stage2 = _fit_stage(X2[valid], y1[valid], settings, settings.seed + 100, settings.sequence_class_weight_power)

        replay = None
        if calibration_docs:
            progress(f"calibrating on {len(calibration_docs)} held-out documents")
            stage2, replay = _calibrate_final_stage(
                calibration_docs, text, stopwords, stage1, stage2, settings.seed, settings.sequence_scope
            )

        meta = {
            "trained_on": {
                "documents": len(train_docs),
                "lines": int(valid.sum()),
                "label_counts": {SCORED_LABELS[i]: int(c) for i, c in enumerate(np.bincount(y1[valid], minlength=5))},
            },
            "calibrated_on": len(calibration_docs),
            **_calibration_metadata(stage2),
            "settings": fold_settings.record(),
            "train_seconds": round(time.monotonic() - started, 1),
            **(metadata or {}),
        }
        save_model(
            out,
            text_model_file=text_file,
            stage1=stage1,
            stage2=stage2,
            text_labels=text.function_labels,
            languages=text.languages,
            stopwords=stopwords,
            metadata=meta,
            replay=replay,
            sequence_scope=settings.sequence_scope,
        )
    progress(f"saved {out} in {time.monotonic() - started:.0f} s")
    return load_model(out)


REPLAY_ROWS = 20_000


def _calibrate_final_stage(
    docs: Sequence[LabeledDocument],
    text: LineTextModel,
    stopwords: Mapping[str, frozenset[str]],
    stage1: LineClassifier,
    stage2: LineClassifier,
    seed: int,
    scope: Scope,
) -> tuple[LineClassifier, dict[str, np.ndarray]]:
    """Calibrate stage 2 on held-out documents; also return the replay rows they give.

    Only the final stage is calibrated: stage 2 was trained on stage 1's raw outputs.
    """
    cal = _prepare(docs, text, stopwords)
    X1, y = _stack(cal, docs)
    keep = y >= 0
    X2 = _sequence_matrix(cal, X1, stage1.predict_proba(X1), scope)
    stage2 = stage2.fit_temperature(X2[keep], y[keep])
    return stage2, _replay_rows(stage2.predict_proba(X2[keep]), X1[keep], y[keep], seed)


def _calibration_metadata(stage2: LineClassifier) -> dict[str, object]:
    bias = None if stage2.class_bias is None else [round(float(b), 4) for b in stage2.class_bias]
    return {"temperatures": {"stage1": 1.0, "stage2": stage2.temperature}, "class_biases": {"stage2": bias}}


def _recalibrated_metadata(model: SegmentationModel, stage2: LineClassifier) -> dict[str, object]:
    """``model``'s metadata to save with a recalibrated final stage (what loading adds is dropped)."""
    meta = {k: v for k, v in model.metadata.items() if k not in {"path", "format_version"}}
    return meta | _calibration_metadata(stage2)


def _replay_rows(final_probs: np.ndarray, X1: np.ndarray, y: np.ndarray, seed: int) -> dict[str, np.ndarray]:
    """Held-out lines as the shipped model sees them: outlet adaptation trains on them too,
    so that an outlet model keeps the shipped model's judgement on lines its memory lacks."""
    keep = _subsample(len(y), REPLAY_ROWS, seed)
    cols = [len(TEXT_LABELS) + SHALLOW_NAMES.index(n) for n in ADAPTER_OWN]
    return {
        "probs": final_probs[keep].astype(np.float32),
        "own": X1[keep][:, cols].astype(np.float32),
        "labels": y[keep].astype(np.int64),
    }


def _sequence_matrix(
    prepared: Sequence[PreparedDocument], X1: np.ndarray, stage1_probs: np.ndarray, scope: Scope
) -> np.ndarray:
    """Stage-2 inputs, built document by document (neighbours never cross documents)."""
    parts = []
    start = 0
    n_text = len(TEXT_LABELS)
    for p in prepared:
        n = len(p.nonblank)
        if not n:
            continue
        parts.append(sequence_features(stage1_probs[start : start + n], X1[start : start + n], n_text, scope))
        start += n
    return np.vstack(parts)


def recalibrate_model(
    model: SegmentationModel,
    calibration_docs: Sequence[LabeledDocument],
    out: str | os.PathLike[str],
    progress: Progress = log.info,
) -> SegmentationModel:
    """Refit the final stage's calibration (temperature and class biases) on held-out documents."""
    from segclf.store import load_model, save_segmentation_model

    if not calibration_docs:
        raise ValueError("calibration_docs must hold at least one document, got none")
    progress(f"recalibrating on {len(calibration_docs)} held-out documents")
    stage1 = model.stage1.with_temperature(1.0)  # raw, as stage 2 was trained on it
    stage2, replay = _calibrate_final_stage(
        calibration_docs,
        model.text_model,
        model.stopwords,
        stage1,
        model.stage2,
        0,
        model.sequence_scope,
    )
    meta = _recalibrated_metadata(model, stage2)
    updated = dataclasses.replace(model, stage1=stage1, stage2=stage2, replay=replay)
    save_segmentation_model(updated, out, adapter=model.adapter, metadata=meta)
    return load_model(out)


def average_models(
    models: Sequence[SegmentationModel],
    calibration_docs: Sequence[LabeledDocument],
    out: str | os.PathLike[str],
    progress: Progress = log.info,
) -> SegmentationModel:
    """One model from several trained on the same corpus with other seeds: each stage averages their logits.

    Trained with another seed, a model draws another sample of pages, other folds'
    hidden languages and other network weights, and on hard pages (a post that is a
    list of headlines) models of one recipe disagree. Averaged, they are steadier
    than any one of them. The text model, stop words and languages are the first
    model's (the later stages read any of the members' text models alike); the
    averaged final stage is calibrated again on ``calibration_docs``.
    """
    from segclf.store import load_model, save_segmentation_model

    if len(models) < 2:
        raise ValueError(f"average_models needs at least two models, got {len(models)}")
    if not calibration_docs:
        raise ValueError("calibration_docs must hold at least one document, got none")
    first = models[0]
    if any(m.adapter is not None for m in models):
        raise ValueError("outlet models cannot be averaged; average the base models, then adapt")
    for m in models[1:]:
        if m.text_model.function_labels != first.text_model.function_labels or m.sequence_scope != first.sequence_scope:
            raise ValueError(
                f"{m.metadata.get('path')}: trained with other text labels or sequence scope than the first model"
            )
    progress(f"averaging {len(models)} models; calibrating on {len(calibration_docs)} held-out documents")
    stage1 = LineClassifier.averaged([m.stage1 for m in models])
    stage2, replay = _calibrate_final_stage(
        calibration_docs,
        first.text_model,
        first.stopwords,
        stage1,
        LineClassifier.averaged([m.stage2 for m in models]),
        0,
        first.sequence_scope,
    )
    meta = _recalibrated_metadata(first, stage2) | {"calibrated_on": len(calibration_docs)}
    meta["averaged_from"] = [
        {"file": Path(str(m.metadata.get("path"))).name, "seed": dict(m.metadata.get("settings") or {}).get("seed")}
        for m in models
    ]
    averaged = dataclasses.replace(first, stage1=stage1, stage2=stage2, replay=replay)
    save_segmentation_model(averaged, out, adapter=None, metadata=meta)
    return load_model(out)
