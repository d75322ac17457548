"""Building the runnable call model: header parsing and row patching on small synthetic GGUFs,
then the whole build from the real pinned base package with synthetic deltas."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

import gguf
import numpy as np
import pytest

from app.nlu import model_store
from app.nlu.gguf_layout import GgufLayoutError, tensor_location
from app.nlu.model_store import (
    LORA_FILE,
    MANIFEST_FILE,
    TOKEN_ROWS_FILE,
    Manifest,
    ModelStoreError,
    adapter_path,
    ensure_model,
    patch_token_rows,
    read_token_rows,
    sha256_file,
    write_manifest,
    write_token_rows,
)

WIDTH = 64
VOCABULARY = 12


def synthetic_gguf(path: Path, quantization: gguf.GGMLQuantizationType) -> np.ndarray:
    """A small GGUF with a vocabulary array, a few tensors and the embedding last."""
    rng = np.random.default_rng(7)
    embedding = rng.standard_normal((VOCABULARY, WIDTH)).astype(np.float32)
    writer = gguf.GGUFWriter(str(path), "gemma3")
    writer.add_array("tokenizer.ggml.tokens", [f"<tok{i}>" for i in range(VOCABULARY)])
    writer.add_array("tokenizer.ggml.scores", [float(i) for i in range(VOCABULARY)])
    writer.add_uint32("gemma3.block_count", 1)
    writer.add_tensor("output_norm.weight", rng.standard_normal(WIDTH).astype(np.float32))
    writer.add_tensor("blk.0.attn_q.weight", rng.standard_normal((8, WIDTH)).astype(np.float32))
    quantized = gguf.quants.quantize(embedding, quantization)
    writer.add_tensor(model_store.EMBEDDING_TENSOR, quantized, raw_dtype=quantization)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return embedding


def read_embedding(path: Path) -> tuple[np.ndarray, np.ndarray]:
    """The embedding's raw bytes and its dequantized rows, as gguf's own reader sees them."""
    tensor = next(
        t for t in gguf.GGUFReader(path).tensors if t.name == model_store.EMBEDDING_TENSOR
    )
    raw = np.array(tensor.data)
    return raw, gguf.quants.dequantize(raw, tensor.tensor_type).reshape(VOCABULARY, WIDTH)


@pytest.mark.parametrize(
    "quantization", [gguf.GGMLQuantizationType.Q8_0, gguf.GGMLQuantizationType.F32]
)
def test_tensor_location_agrees_with_ggufs_reader(tmp_path, quantization) -> None:
    path = tmp_path / "model.gguf"
    synthetic_gguf(path, quantization)
    location = tensor_location(path, model_store.EMBEDDING_TENSOR)
    tensor = next(
        t for t in gguf.GGUFReader(path).tensors if t.name == model_store.EMBEDDING_TENSOR
    )
    assert location.offset == tensor.data_offset
    assert location.tensor_type == quantization
    assert location.shape == (WIDTH, VOCABULARY)
    with pytest.raises(GgufLayoutError, match="no tensor"):
        tensor_location(path, "missing.weight")


@pytest.mark.parametrize(
    "quantization", [gguf.GGMLQuantizationType.Q8_0, gguf.GGMLQuantizationType.F32]
)
def test_patching_rewrites_only_the_given_rows(tmp_path, quantization) -> None:
    path = tmp_path / "model.gguf"
    original = synthetic_gguf(path, quantization)
    raw_before, _ = read_embedding(path)
    size_before = path.stat().st_size
    new_rows = np.full((2, WIDTH), 0.25, dtype=np.float32)
    new_rows[1] = np.linspace(-1, 1, WIDTH, dtype=np.float32)
    patch_token_rows(path, [3, 9], new_rows)
    raw_after, rows_after = read_embedding(path)
    assert path.stat().st_size == size_before
    untouched = [i for i in range(VOCABULARY) if i not in (3, 9)]
    np.testing.assert_array_equal(raw_after[untouched], raw_before[untouched])
    np.testing.assert_allclose(rows_after[[3, 9]], new_rows, atol=0.01)
    assert not np.allclose(rows_after[3], original[3], atol=0.01)


def test_patching_refuses_rows_that_do_not_fit(tmp_path) -> None:
    path = tmp_path / "model.gguf"
    synthetic_gguf(path, gguf.GGMLQuantizationType.Q8_0)
    with pytest.raises(ModelStoreError, match="do not fit"):
        patch_token_rows(path, [1], np.zeros((1, WIDTH + 32), dtype=np.float32))
    with pytest.raises(ModelStoreError, match="outside the vocabulary"):
        patch_token_rows(path, [VOCABULARY], np.zeros((1, WIDTH), dtype=np.float32))


def test_token_rows_file_round_trips(tmp_path) -> None:
    rows = np.arange(3 * WIDTH, dtype=np.float32).reshape(3, WIDTH)
    write_token_rows(tmp_path / "rows.gguf", [6, 7, 8], rows)
    ids, read = read_token_rows(tmp_path / "rows.gguf")
    assert ids == [6, 7, 8]
    np.testing.assert_array_equal(read, rows)


@pytest.fixture
def deltas(tmp_path) -> Path:
    """A models/ folder with synthetic deltas for the real base model (640-wide rows)."""
    models = tmp_path / "models"
    models.mkdir()
    rng = np.random.default_rng(1)
    write_token_rows(models / TOKEN_ROWS_FILE, [6, 7], rng.standard_normal((2, 640), np.float32))
    (models / LORA_FILE).write_bytes(b"stands in for the adapter: the store only copies it")
    built = tmp_path / "reference.gguf"
    model_store.build_model(built, models / TOKEN_ROWS_FILE)
    write_manifest_for(models, built, lora_rank=16)
    built.unlink()
    return models


def write_manifest_for(models: Path, built: Path, **fields: Any) -> None:
    """The manifest of the deltas in `models` (token rows for ids 6 and 7) that build `built`;
    `fields` add to it or replace its LoRA rank of 16 and alpha of 32."""
    write_manifest(
        models / MANIFEST_FILE,
        Manifest(
            base_package=model_store.BASE_PACKAGE,
            base_sha256=model_store.base_sha256(),
            token_ids=(6, 7),
            files={
                LORA_FILE: sha256_file(models / LORA_FILE),
                TOKEN_ROWS_FILE: sha256_file(models / TOKEN_ROWS_FILE),
            },
            model_sha256=sha256_file(built),
            **{"lora_rank": 16, "lora_alpha": 32.0, **fields},
        ),
    )


def test_ensure_model_builds_once_and_verifies(deltas, tmp_path) -> None:
    cache = tmp_path / "cache"
    path = ensure_model(deltas, cache)
    manifest = model_store.read_manifest(deltas / MANIFEST_FILE)
    assert path.parent == cache
    assert sha256_file(path) == manifest.model_sha256
    assert adapter_path(path).read_bytes() == (deltas / LORA_FILE).read_bytes()
    built_at = path.stat().st_mtime_ns
    assert ensure_model(deltas, cache) == path
    assert path.stat().st_mtime_ns == built_at
    assert sorted(p.name for p in cache.iterdir() if not p.name.endswith(".verified")) == sorted(
        [adapter_path(path).name, path.name]
    )


def test_the_built_model_and_its_cache_are_readable_by_their_user_only(deltas, tmp_path) -> None:
    cache = tmp_path / "cache" / "voice-calendar" / "models"
    old_umask = os.umask(0o022)
    try:
        path = ensure_model(deltas, cache)
    finally:
        os.umask(old_umask)
    written = sorted(cache.iterdir())
    assert {p.name for p in written} >= {path.name, adapter_path(path).name}
    assert {p.name: stat.S_IMODE(p.stat().st_mode) for p in written} == {
        p.name: 0o600 for p in written
    }
    for folder in (cache, cache.parent, cache.parent.parent):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_a_damaged_cached_model_is_rebuilt(deltas, tmp_path) -> None:
    cache = tmp_path / "cache"
    path = ensure_model(deltas, cache)
    with path.open("r+b") as stream:
        stream.seek(1000)
        stream.write(b"\xff\xff\xff\xff")
    assert ensure_model(deltas, cache) == path
    assert sha256_file(path) == model_store.read_manifest(deltas / MANIFEST_FILE).model_sha256


def test_missing_deltas_say_what_to_do(tmp_path) -> None:
    with pytest.raises(ModelStoreError, match=r"scripts/train"):
        ensure_model(tmp_path / "empty", tmp_path / "cache")


def test_a_changed_delta_is_refused(deltas, tmp_path) -> None:
    (deltas / LORA_FILE).write_bytes(b"something else")
    with pytest.raises(ModelStoreError, match="does not match its checksum"):
        ensure_model(deltas, tmp_path / "cache")


def test_a_build_that_differs_from_the_manifest_is_refused(deltas, tmp_path) -> None:
    record = json.loads((deltas / MANIFEST_FILE).read_text())
    record["model_sha256"] = "0" * 64
    (deltas / MANIFEST_FILE).write_text(json.dumps(record))
    with pytest.raises(ModelStoreError, match="do not belong together"):
        ensure_model(deltas, tmp_path / "cache")
    assert not list((tmp_path / "cache").glob("*.gguf"))


def test_a_bundled_model_is_used_without_the_base_package(deltas, tmp_path, monkeypatch) -> None:
    bundle = tmp_path / "bundle"
    bundle.mkdir()
    (bundle / "call-model-0123456789abcdef.gguf").write_bytes(b"an earlier build's model")
    shipped = model_store.bundle_model(bundle, deltas)
    manifest = model_store.read_manifest(deltas / MANIFEST_FILE)
    assert sorted(p.name for p in bundle.iterdir()) == sorted(
        [MANIFEST_FILE, shipped.name, adapter_path(shipped).name]
    )
    assert sha256_file(shipped) == manifest.model_sha256

    def no_base_package() -> str:
        raise AssertionError("the bundle must not need the base package")

    monkeypatch.setattr(model_store, "base_sha256", no_base_package)
    shipped_files = sorted(bundle.iterdir())
    cache = tmp_path / "cache"
    assert ensure_model(bundle, cache) == shipped
    assert ensure_model(bundle, cache) == shipped
    # An installed bundle may be read-only: its checksum stamps go to the cache.
    assert sorted(bundle.iterdir()) == shipped_files
    assert sorted(p.name for p in cache.iterdir()) == sorted(
        [f"bundled-{shipped.name}.verified", f"bundled-{adapter_path(shipped).name}.verified"]
    )


def test_a_damaged_bundled_model_asks_for_a_reinstall(deltas, tmp_path) -> None:
    bundle = tmp_path / "bundle"
    shipped = model_store.bundle_model(bundle, deltas)
    adapter_path(shipped).write_bytes(b"truncated")
    with pytest.raises(ModelStoreError, match="reinstall Voice Calendar"):
        ensure_model(bundle, tmp_path / "cache")


def test_requantizing_the_embedding_keeps_every_other_byte_and_writes_the_rows(tmp_path) -> None:
    source = tmp_path / "model.gguf"
    original = synthetic_gguf(source, gguf.GGMLQuantizationType.Q8_0)
    rows = np.full((2, WIDTH), 0.5, dtype=np.float32)
    rows[1] = np.linspace(-1, 1, WIDTH, dtype=np.float32)
    target = tmp_path / "requantized.gguf"
    model_store.requantize_embedding(source, target, gguf.GGMLQuantizationType.Q4_0, [2, 5], rows)
    before, after = gguf.GGUFReader(source), gguf.GGUFReader(target)
    assert [f.name for f in after.fields.values()] == [f.name for f in before.fields.values()]
    assert after.get_field("tokenizer.ggml.tokens").contents() == [
        f"<tok{i}>" for i in range(VOCABULARY)
    ]
    for old, new in zip(before.tensors, after.tensors, strict=True):
        assert new.name == old.name
        if new.name != model_store.EMBEDDING_TENSOR:
            assert new.tensor_type == old.tensor_type
            np.testing.assert_array_equal(np.array(new.data), np.array(old.data))
    embedding = next(t for t in after.tensors if t.name == model_store.EMBEDDING_TENSOR)
    assert embedding.tensor_type == gguf.GGMLQuantizationType.Q4_0
    weights = gguf.quants.dequantize(np.array(embedding.data), embedding.tensor_type).reshape(
        VOCABULARY, WIDTH
    )
    np.testing.assert_allclose(weights[[2, 5]], rows, atol=0.15)
    others = [i for i in range(VOCABULARY) if i not in (2, 5)]
    np.testing.assert_allclose(weights[others], original[others], atol=0.5)
    assert np.corrcoef(weights[others].ravel(), original[others].ravel())[0, 1] > 0.99
    assert target.stat().st_size < source.stat().st_size


def test_a_manifest_with_an_embedding_type_builds_the_requantized_model(deltas, tmp_path) -> None:
    record = json.loads((deltas / MANIFEST_FILE).read_text())
    reference = tmp_path / "reference.gguf"
    model_store.build_model(reference, deltas / TOKEN_ROWS_FILE, "Q4_0")
    record["embedding_type"] = "Q4_0"
    record["model_sha256"] = sha256_file(reference)
    (deltas / MANIFEST_FILE).write_text(json.dumps(record))
    path = ensure_model(deltas, tmp_path / "cache")
    assert sha256_file(path) == record["model_sha256"]
    embedding = tensor_location(path, model_store.EMBEDDING_TENSOR)
    assert embedding.tensor_type == gguf.GGMLQuantizationType.Q4_0
    token_ids, rows = model_store.read_token_rows(deltas / TOKEN_ROWS_FILE)
    with path.open("rb") as stream:
        stream.seek(embedding.offset)
        raw = np.frombuffer(stream.read(embedding.n_bytes), np.uint8).reshape(
            embedding.shape[1], -1
        )
    written = gguf.quants.dequantize(raw[token_ids], embedding.tensor_type)
    np.testing.assert_allclose(written, rows, atol=0.5)
    assert np.corrcoef(written.ravel(), rows.ravel())[0, 1] > 0.99


def test_an_unknown_embedding_type_is_refused(deltas, tmp_path) -> None:
    with pytest.raises(ModelStoreError, match="unknown tensor type"):
        model_store.build_model(tmp_path / "model.gguf", deltas / TOKEN_ROWS_FILE, "Q3_X")
