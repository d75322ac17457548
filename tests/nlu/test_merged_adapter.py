"""The adapter merged into the call model at build time: the arithmetic llama.cpp does at run
time, only the adapted tensors rewritten, a build that needs no adapter file next to it, and on
the shipped model the same calls as the adapter applied at load time."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import gguf
import numpy as np
import pytest

from app.nlu import model_store
from app.nlu.gguf_layout import tensor_location
from app.nlu.llama_model import LlamaCallModel
from app.nlu.merged_adapter import (
    MERGED_TYPE,
    AdapterMergeError,
    merge_adapter,
    merged_weights,
    read_adapter,
)
from app.nlu.model_store import (
    DEFAULT_MODELS_DIR,
    LORA_FILE,
    MANIFEST_FILE,
    TOKEN_ROWS_FILE,
    AdapterMerge,
    adapter_path,
    ensure_model,
    sha256_file,
    write_manifest,
    write_token_rows,
)
from app.nlu.understand import Understander
from app.resolve import ResolvedCall
from benchmarks.full_commands import DEFAULT_FILE as FULL_COMMANDS
from tests.conftest import BERLIN
from tests.nlu.test_model_store import write_manifest_for

Q8_0 = gguf.GGMLQuantizationType.Q8_0


def write_adapter(path: Path, pairs: dict[str, tuple[np.ndarray, np.ndarray]]) -> None:
    """A LoRA GGUF as `training.export` writes it: A (rank rows) and B (rank columns)."""
    writer = gguf.GGUFWriter(str(path), "gemma3")
    writer.add_string("general.type", "adapter")
    writer.add_string("adapter.type", "lora")
    writer.add_float32("adapter.lora.alpha", 32.0)
    for name, (lora_a, lora_b) in pairs.items():
        writer.add_tensor(f"{name}.lora_a", lora_a.astype(np.float32))
        writer.add_tensor(f"{name}.lora_b", lora_b.astype(np.float32))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


def small_model(path: Path, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """A GGUF with an adapted Q8_0 layer, an untouched one and a norm; returns the weights."""
    weights = {
        "blk.0.attn_q.weight": rng.standard_normal((48, 64)).astype(np.float32),
        "blk.0.ffn_up.weight": rng.standard_normal((32, 64)).astype(np.float32),
    }
    writer = gguf.GGUFWriter(str(path), "gemma3")
    writer.add_uint32("gemma3.block_count", 1)
    writer.add_tensor("blk.0.attn_norm.weight", rng.standard_normal(64).astype(np.float32))
    for name, values in weights.items():
        writer.add_tensor(name, gguf.quants.quantize(values, Q8_0), raw_dtype=Q8_0)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return weights


def test_merged_weights_add_the_scaled_low_rank_product() -> None:
    rng = np.random.default_rng(3)
    weights = rng.standard_normal((6, 10)).astype(np.float32)
    lora_a = rng.standard_normal((4, 10)).astype(np.float32)
    lora_b = rng.standard_normal((6, 4)).astype(np.float32)
    merged = merged_weights(weights, lora_a, lora_b, 0.5)
    expected = weights.astype(np.float64) + 0.5 * (lora_b.astype(np.float64) @ lora_a)
    np.testing.assert_allclose(merged, expected, rtol=1e-6, atol=1e-6)
    assert merged.dtype == np.float32
    with pytest.raises(AdapterMergeError, match="does not fit"):
        merged_weights(weights, lora_a, lora_b.T, 0.5)


def test_merging_rewrites_only_the_adapted_tensors(tmp_path) -> None:
    rng = np.random.default_rng(5)
    source, adapter, target = tmp_path / "model.gguf", tmp_path / "lora.gguf", tmp_path / "m.gguf"
    weights = small_model(source, rng)
    lora_a = rng.standard_normal((2, 64)).astype(np.float32)
    lora_b = rng.standard_normal((48, 2)).astype(np.float32)
    write_adapter(adapter, {"blk.0.attn_q.weight": (lora_a, lora_b)})
    assert set(read_adapter(adapter)) == {"blk.0.attn_q.weight"}
    merge_adapter(source, adapter, target, rank=2, alpha=32.0, tensor_type=Q8_0)
    before, after = gguf.GGUFReader(source), gguf.GGUFReader(target)
    assert [f.name for f in after.fields.values()] == [f.name for f in before.fields.values()]
    for old, new in zip(before.tensors, after.tensors, strict=True):
        assert (new.name, new.tensor_type) == (old.name, old.tensor_type)
        if new.name != "blk.0.attn_q.weight":
            np.testing.assert_array_equal(np.array(new.data), np.array(old.data))
    adapted = next(t for t in after.tensors if t.name == "blk.0.attn_q.weight")
    written = gguf.quants.dequantize(np.array(adapted.data), Q8_0).reshape(48, 64)
    expected = weights["blk.0.attn_q.weight"] + 16.0 * (lora_b @ lora_a)
    step = np.abs(expected).max(axis=1, keepdims=True) / 127  # one Q8_0 step per row, at most
    assert np.all(np.abs(written - expected) <= 2 * step)

    write_adapter(adapter, {"blk.3.attn_q.weight": (lora_a, lora_b)})
    with pytest.raises(AdapterMergeError, match=r"no blk\.3\.attn_q\.weight"):
        merge_adapter(source, adapter, target, rank=2, alpha=32.0, tensor_type=Q8_0)


@pytest.fixture
def merged_deltas(tmp_path) -> Path:
    """A models/ folder whose small adapter (one layer of the real base) is merged at build."""
    models = tmp_path / "models"
    models.mkdir()
    rng = np.random.default_rng(2)
    write_token_rows(models / TOKEN_ROWS_FILE, [6, 7], rng.standard_normal((2, 640), np.float32))
    lora_a = 0.1 * rng.standard_normal((2, 640)).astype(np.float32)
    lora_b = 0.1 * rng.standard_normal((1024, 2)).astype(np.float32)
    write_adapter(models / LORA_FILE, {"blk.0.attn_q.weight": (lora_a, lora_b)})
    reference = tmp_path / "reference.gguf"
    merge = AdapterMerge(models / LORA_FILE, 2, 32.0, MERGED_TYPE)
    model_store.build_model(reference, models / TOKEN_ROWS_FILE, "Q4_0", merge)
    write_manifest_for(
        models, reference, lora_rank=2, embedding_type="Q4_0", merged_type=MERGED_TYPE
    )
    reference.unlink()
    return models


def test_a_merged_build_is_the_manifests_and_needs_no_adapter_beside_it(
    merged_deltas, tmp_path
) -> None:
    cache = tmp_path / "cache"
    path = ensure_model(merged_deltas, cache)  # rebuilt: the same bytes as the reference
    manifest = model_store.read_manifest(merged_deltas / MANIFEST_FILE)
    assert sha256_file(path) == manifest.model_sha256
    assert not adapter_path(path).exists()
    assert tensor_location(path, "blk.0.attn_q.weight").tensor_type == Q8_0
    assert tensor_location(path, "blk.0.attn_k.weight").tensor_type != Q8_0  # not adapted
    assert ensure_model(merged_deltas, cache) == path

    bundle = model_store.bundle_model(tmp_path / "bundle", merged_deltas)
    assert sorted(p.name for p in bundle.parent.iterdir()) == sorted([MANIFEST_FILE, bundle.name])
    assert ensure_model(bundle.parent, tmp_path / "other-cache") == bundle


def test_the_shipped_deltas_merged_write_the_calls_of_the_adapter_applied_at_load_time(
    tmp_path,
) -> None:
    """The merge changes the layers' quantization, not what the model says about the
    benchmark's full commands: merged, the shipped deltas write the calls the adapter writes
    (the evaluation sets differ by a few calls either way: models/README.md). The shipped form
    is built by `ensure_model()`, the other one here from the same deltas."""
    shipped = model_store.read_manifest(DEFAULT_MODELS_DIR / MANIFEST_FILE)
    other_dir = tmp_path / "models"
    other_dir.mkdir()
    for name in (LORA_FILE, TOKEN_ROWS_FILE):
        (other_dir / name).write_bytes((DEFAULT_MODELS_DIR / name).read_bytes())
    other_type = MERGED_TYPE if shipped.merged_type is None else None
    other = replace(shipped, merged_type=other_type)
    reference = tmp_path / "reference.gguf"
    model_store.build_model(
        reference,
        other_dir / TOKEN_ROWS_FILE,
        other.embedding_type,
        model_store.adapter_merge(other, other_dir / LORA_FILE),
    )
    write_manifest(other_dir / MANIFEST_FILE, replace(other, model_sha256=sha256_file(reference)))
    paths = {
        shipped.merged_type: ensure_model(),
        other_type: ensure_model(other_dir, tmp_path / "cache"),
    }
    unmerged_path, merged_path = paths[None], paths[MERGED_TYPE]
    assert adapter_path(unmerged_path).is_file()
    assert not adapter_path(merged_path).exists()

    merged_model = LlamaCallModel(merged_path)
    assert merged_model._llm.lora_path is None
    with_adapter = Understander(LlamaCallModel(unmerged_path))
    merged = Understander(merged_model)
    now = datetime(2026, 3, 26, 10, 0, tzinfo=BERLIN)
    commands = [json.loads(line) for line in FULL_COMMANDS.read_text("utf-8").splitlines()]

    def said(understander: Understander, command: dict[str, str]) -> tuple[str, ResolvedCall]:
        understood = understander.understand(command["text"], command["language"], now)
        return understood.raw, understood.call

    differing = [
        command["text"]
        for command in commands
        if said(merged, command) != said(with_adapter, command)
    ]
    assert len(commands) >= 40 and differing == []
