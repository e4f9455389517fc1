"""Safe model files: no code executed on load, clear errors for broken files."""

from __future__ import annotations

import json
import pickle
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from segclf import ModelError, Segmenter
from segclf.store import FORMAT_VERSION, default_model_path, load_model, read_manifest


@pytest.fixture()
def model_copy(tmp_path: Path) -> Path:
    target = tmp_path / "model.segclf"
    target.write_bytes(default_model_path().read_bytes())
    return target


def _rewrite(path: Path, change) -> None:  # noqa: ANN001
    with zipfile.ZipFile(path) as zf:
        members = {name: zf.read(name) for name in zf.namelist()}
    change(members)
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)


def test_default_model_loads_and_records_format() -> None:
    manifest = read_manifest(default_model_path())
    assert manifest["format_version"] == FORMAT_VERSION
    assert set(manifest["checksums"]) == {"text.bin", "arrays.npz"}
    assert default_model_path().stat().st_size <= 30 * 1024 * 1024


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ModelError, match="no such model file"):
        load_model(tmp_path / "nope.segclf")


def test_truncated_file(model_copy: Path) -> None:
    data = model_copy.read_bytes()
    model_copy.write_bytes(data[: len(data) // 2])
    with pytest.raises(ModelError, match="truncated or not a zip"):
        load_model(model_copy)


def test_pickle_is_refused_not_executed(tmp_path: Path) -> None:
    marker = tmp_path / "executed"

    class Evil:
        def __reduce__(self):  # noqa: ANN204
            return (marker.write_text, ("pwned",))

    evil = tmp_path / "evil.segclf"
    evil.write_bytes(pickle.dumps(Evil()))
    with pytest.raises(ModelError):
        load_model(evil)
    assert not marker.exists()


def test_pickled_arrays_are_refused(model_copy: Path) -> None:
    import io

    import numpy as np

    def swap(members: dict) -> None:
        buf = io.BytesIO()
        np.save(buf, np.array([object()], dtype=object), allow_pickle=True)
        members["arrays.npz"] = buf.getvalue()
        manifest = json.loads(members["manifest.json"])
        import hashlib

        manifest["checksums"]["arrays.npz"] = hashlib.sha256(members["arrays.npz"]).hexdigest()
        members["manifest.json"] = json.dumps(manifest).encode()

    _rewrite(model_copy, swap)
    with pytest.raises(ModelError, match="invalid classifier arrays"):
        load_model(model_copy)


def test_corrupted_member_fails_checksum(model_copy: Path) -> None:
    def flip(members: dict) -> None:
        blob = bytearray(members["text.bin"])
        blob[len(blob) // 2] ^= 0xFF
        members["text.bin"] = bytes(blob)

    _rewrite(model_copy, flip)
    with pytest.raises(ModelError, match="checksum mismatch for text.bin"):
        load_model(model_copy)


def test_incompatible_version(model_copy: Path) -> None:
    def bump(members: dict) -> None:
        manifest = json.loads(members["manifest.json"])
        manifest["format_version"] = FORMAT_VERSION + 1
        members["manifest.json"] = json.dumps(manifest).encode()

    _rewrite(model_copy, bump)
    with pytest.raises(ModelError, match="format version .* is not supported"):
        load_model(model_copy)


def test_a_model_trained_on_other_line_features_is_refused_with_advice(model_copy: Path) -> None:
    """A model from a segclf whose features differ would be fed misplaced columns."""

    def drop_a_feature(members: dict[str, bytes]) -> None:
        manifest = json.loads(members["manifest.json"])
        del manifest["feature_names"][-1]
        members["manifest.json"] = json.dumps(manifest).encode()

    _rewrite(model_copy, drop_a_feature)
    with pytest.raises(ModelError, match="other line features .* retrain it"):
        load_model(model_copy)


def test_not_a_model(tmp_path: Path) -> None:
    other = tmp_path / "other.zip"
    with zipfile.ZipFile(other, "w") as zf:
        zf.writestr("hello.txt", "hi")
    with pytest.raises(ModelError, match="no manifest.json"):
        load_model(other)
    folder = tmp_path / "folder"
    folder.mkdir()
    with pytest.raises(ModelError, match="is a folder"):
        Segmenter(folder)


def test_sequence_scope_must_match_the_sequence_classifier(model_copy: Path) -> None:
    scope = read_manifest(model_copy).get("sequence_scope", "window")
    other = "window" if scope == "document" else "document"

    def swap_scope(members: dict[str, bytes]) -> None:
        manifest = json.loads(members["manifest.json"])
        manifest["sequence_scope"] = other
        members["manifest.json"] = json.dumps(manifest).encode()

    _rewrite(model_copy, swap_scope)
    with pytest.raises(ModelError, match="recorded scope"):
        load_model(model_copy)


def test_the_characters_the_text_model_reads_are_recorded_and_used(model_copy: Path) -> None:
    from segclf.model import prepare_batch

    assert load_model(model_copy).text_model.max_chars == read_manifest(model_copy)["text_model_chars"]

    def cap_at(chars: int | None) -> Callable[[dict[str, bytes]], None]:
        def change(members: dict[str, bytes]) -> None:
            manifest = json.loads(members["manifest.json"])
            if chars is None:
                del manifest["text_model_chars"]
            else:
                manifest["text_model_chars"] = chars
            members["manifest.json"] = json.dumps(manifest).encode()

        return change

    _rewrite(model_copy, cap_at(None))  # a file from before the cap was recorded
    assert load_model(model_copy).text_model.max_chars == 200
    _rewrite(model_copy, cap_at(12))
    model = load_model(model_copy)
    seen: list[str] = []
    score = model.text_model.score
    model.text_model.score = lambda texts: seen.extend(texts) or score(texts)  # type: ignore[method-assign]
    prepare_batch(["the minister said on tuesday that the plan would go ahead"], model.text_model, model.stopwords)
    assert seen == ["the minister"]  # cut before the word that crosses 12 characters
