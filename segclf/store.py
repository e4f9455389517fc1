"""Saving and loading model files safely: no pickle, a format version, checksums.

A model file is a zip archive holding ``manifest.json`` (format version,
labels, feature names, stop words, provenance, and a SHA-256 of every other
member), the fastText line text model (``text.bin``) and ``arrays.npz`` (loaded with
``allow_pickle=False``). Nothing in it is executed on load; every member's
checksum is verified before it is parsed.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import tempfile
import zipfile
from collections.abc import Mapping
from importlib import resources
from pathlib import Path

import numpy as np

from segclf.errors import ModelError
from segclf.features import feature_names
from segclf.labels import SCORED_LABELS
from segclf.linemodel import LineClassifier
from segclf.lines import MAX_MODEL_CHARS
from segclf.model import SegmentationModel
from segclf.outlet import OutletAdapter, OutletMemory
from segclf.sequence import SCOPES, Scope, n_sequence_features
from segclf.textmodel import LineTextModel, load_fasttext

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "save_model",
    "save_segmentation_model",
    "load_model",
    "default_model_path",
    "read_manifest",
]

FORMAT = "segclf-model"
#: Version 2: one fastText model scores function and language (version 1 held two).
FORMAT_VERSION = 2
_TEXT, _ARRAYS, _MANIFEST = "text.bin", "arrays.npz", "manifest.json"
#: The characters a text model read before model files recorded it (``text_model_chars``).
_CHARS_BEFORE_RECORDED = 200
_MEMBERS = (_TEXT, _ARRAYS)


def default_model_path() -> Path:
    """The model shipped inside the package (``models/default.segclf`` in the repository).

    Installed, it is the package data ``segclf.models``; imported from a source
    checkout that is not installed in editable mode, it is read from ``models/``.
    """
    try:
        return Path(str(resources.files("segclf.models") / "default.segclf"))
    except ModuleNotFoundError:
        return Path(__file__).resolve().parents[1] / "models" / "default.segclf"


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def save_model(
    path: str | os.PathLike[str],
    *,
    text_model_file: str | os.PathLike[str],
    stage1: LineClassifier,
    stage2: LineClassifier,
    text_labels: tuple[str, ...],
    languages: tuple[str, ...],
    stopwords: Mapping[str, frozenset[str]],
    metadata: Mapping[str, object],
    adapter: OutletAdapter | None = None,
    replay: Mapping[str, np.ndarray] | None = None,
    sequence_scope: Scope = "window",
    text_model_chars: int = MAX_MODEL_CHARS,
) -> Path:
    """Write a model file atomically (a temporary file renamed into place)."""
    buffer = io.BytesIO()
    arrays = {**stage1.to_arrays("stage1"), **stage2.to_arrays("stage2")}
    if adapter is not None:
        arrays.update(adapter.layer.to_arrays("outlet"))
    if replay is not None:
        arrays.update({f"replay.{key}": value for key, value in replay.items()})
    np.savez(buffer, **arrays)
    members = {
        _TEXT: Path(text_model_file).read_bytes(),
        _ARRAYS: buffer.getvalue(),
    }
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "labels": list(SCORED_LABELS),
        "text_labels": list(text_labels),
        "languages": list(languages),
        "feature_names": feature_names(text_labels),
        "sequence_scope": sequence_scope,
        "text_model_chars": text_model_chars,
        "stopwords": {lang: sorted(words) for lang, words in sorted(stopwords.items())},
        "checksums": {name: _sha256(data) for name, data in members.items()},
        "metadata": dict(metadata),
        "outlet_memory": adapter.memory.to_json() if adapter is not None else None,
    }
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh, zipfile.ZipFile(fh, "w", compression=zipfile.ZIP_STORED) as zf:
            zf.writestr(_MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
            for name, data in members.items():
                zf.writestr(name, data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes the file private; a model is meant to be shared
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def read_manifest(path: str | os.PathLike[str]) -> dict:
    """The manifest of a model file, checked for format and version."""
    with _open_zip(path) as zf:
        return _manifest(zf, path)


def load_model(path: str | os.PathLike[str] | None = None) -> SegmentationModel:
    """Load a model file (the shipped default when ``path`` is None), verifying it first."""
    path = default_model_path() if path is None else Path(path)
    with _open_zip(path) as zf:
        manifest = _manifest(zf, path)
        data = {}
        for name in _MEMBERS:
            try:
                data[name] = zf.read(name)
            except KeyError:
                raise ModelError(f"{path}: not a complete segclf model (missing {name})") from None
            except (zipfile.BadZipFile, OSError, EOFError) as exc:
                raise ModelError(f"{path}: cannot read {name}: {exc}") from None
            expected = manifest["checksums"].get(name)
            if _sha256(data[name]) != expected:
                raise ModelError(f"{path}: checksum mismatch for {name}: the file is corrupted or was modified")
    try:
        with np.load(io.BytesIO(data[_ARRAYS]), allow_pickle=False) as npz:
            arrays = {key: npz[key] for key in npz.files}
        stage1 = LineClassifier.from_arrays(arrays, "stage1")
        stage2 = LineClassifier.from_arrays(arrays, "stage2")
        adapter = None
        if manifest.get("outlet_memory") is not None:
            adapter = OutletAdapter(
                OutletMemory.from_json(manifest["outlet_memory"]), LineClassifier.from_arrays(arrays, "outlet")
            )
        replay = {key.removeprefix("replay."): value for key, value in arrays.items() if key.startswith("replay.")}
    except (KeyError, ValueError, OSError) as exc:
        raise ModelError(f"{path}: invalid classifier arrays: {exc}") from None
    computed = feature_names(manifest["text_labels"])
    if manifest["feature_names"] != computed:
        raise ModelError(
            f"{path}: the model was trained on other line features than this version of segclf "
            f"computes ({len(manifest['feature_names'])} against {len(computed)}); "
            "retrain it with this version (segclf train)"
        )
    n_expected = len(manifest["feature_names"])
    if stage1.n_features != n_expected or stage1.n_classes != len(SCORED_LABELS):
        raise ModelError(
            f"{path}: stage-1 classifier expects {stage1.n_features} features, manifest names {n_expected}"
        )
    scope = manifest.get("sequence_scope", "window")  # files written before the scope was recorded
    if scope not in SCOPES or stage2.n_features != n_sequence_features(len(SCORED_LABELS), scope):
        raise ModelError(f"{path}: the sequence classifier does not match its recorded scope {scope!r}")
    text = _load_text_model(data[_TEXT], manifest, path)
    stopwords = {lang: frozenset(words) for lang, words in manifest["stopwords"].items()}
    return SegmentationModel(
        text_model=text,
        stopwords=stopwords,
        stage1=stage1,
        stage2=stage2,
        metadata={**manifest["metadata"], "path": str(path), "format_version": manifest["format_version"]},
        adapter=adapter,
        replay=replay or None,
        sequence_scope=scope,
    )


def save_segmentation_model(
    model: SegmentationModel,
    path: str | os.PathLike[str],
    *,
    adapter: OutletAdapter | None,
    metadata: Mapping[str, object],
) -> Path:
    """Write ``model`` with another adapter and metadata (its text models are copied as they are)."""
    source = Path(str(model.metadata["path"]))
    with _open_zip(source) as zf, tempfile.TemporaryDirectory(prefix="segclf-save-") as tmp:
        text_file = Path(tmp) / _TEXT
        text_file.write_bytes(zf.read(_TEXT))
        return save_model(
            path,
            text_model_file=text_file,
            stage1=model.stage1,
            stage2=model.stage2,
            text_labels=model.text_model.function_labels,
            languages=model.text_model.languages,
            stopwords=model.stopwords,
            metadata=metadata,
            adapter=adapter,
            replay=model.replay,
            sequence_scope=model.sequence_scope,
            text_model_chars=model.text_model.max_chars,
        )


def _open_zip(path: str | os.PathLike[str]) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(path)
    except FileNotFoundError:
        raise ModelError(f"{path}: no such model file") from None
    except IsADirectoryError:
        raise ModelError(f"{path}: is a folder, not a model file") from None
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise ModelError(f"{path}: not a segclf model file (truncated or not a zip archive: {exc})") from None


def _manifest(zf: zipfile.ZipFile, path: str | os.PathLike[str]) -> dict:
    try:
        manifest = json.loads(zf.read(_MANIFEST).decode("utf-8"))
    except KeyError:
        raise ModelError(f"{path}: not a segclf model file (no {_MANIFEST})") from None
    except (ValueError, UnicodeDecodeError, zipfile.BadZipFile, OSError, EOFError) as exc:
        raise ModelError(f"{path}: unreadable manifest: {exc}") from None
    found = manifest.get("format") if isinstance(manifest, dict) else None
    if found != FORMAT:
        raise ModelError(f"{path}: not a segclf model file (format is {found!r})")
    version = manifest.get("format_version")
    if version != FORMAT_VERSION:
        raise ModelError(
            f"{path}: model format version {version} is not supported by this segclf "
            f"(it reads version {FORMAT_VERSION}); retrain or upgrade segclf"
        )
    for key in ("labels", "text_labels", "feature_names", "stopwords", "checksums", "metadata"):
        if key not in manifest:
            raise ModelError(f"{path}: manifest lacks {key!r}")
    if manifest["labels"] != list(SCORED_LABELS):
        raise ModelError(f"{path}: model labels {manifest['labels']} differ from segclf's {list(SCORED_LABELS)}")
    return manifest


def _load_text_model(blob: bytes, manifest: Mapping, path: Path) -> LineTextModel:
    """fastText loads only from a path: write the verified bytes to a private temporary folder."""
    with tempfile.TemporaryDirectory(prefix="segclf-model-") as tmp:
        file = Path(tmp) / _TEXT
        file.write_bytes(blob)
        try:
            # files written before the cap was recorded were trained on 200 characters
            cap = int(manifest.get("text_model_chars", _CHARS_BEFORE_RECORDED))
            text = LineTextModel(load_fasttext(file), manifest["text_labels"], max_chars=cap)
        except (ValueError, RuntimeError, MemoryError) as exc:
            raise ModelError(f"{path}: invalid fastText member {_TEXT}: {exc}") from None
    if list(text.languages) != list(manifest.get("languages", text.languages)):
        raise ModelError(f"{path}: the text model's languages differ from the manifest's")
    return text
