"""Export: PEFT adapter weights → llama.cpp LoRA GGUF and token rows."""

from __future__ import annotations

import numpy as np
import pytest

gguf = pytest.importorskip("gguf")

from training.export import lora_tensors, token_rows, write_lora_gguf  # noqa: E402

PREFIX = "base_model.model.model"


def adapter_state(rank: int = 4) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(0)
    shapes = {
        "self_attn.q_proj": (1024, 640),
        "self_attn.k_proj": (256, 640),
        "mlp.down_proj": (640, 2048),
    }
    state = {}
    for layer in (0, 11):
        for module, (out_features, in_features) in shapes.items():
            key = f"{PREFIX}.layers.{layer}.{module}"
            state[f"{key}.lora_A.weight"] = rng.standard_normal((rank, in_features), np.float32)
            state[f"{key}.lora_B.weight"] = rng.standard_normal((out_features, rank), np.float32)
    state[f"{PREFIX}.embed_tokens.token_adapter.trainable_tokens_delta"] = rng.standard_normal(
        (5, 640), np.float32
    )
    return state


def test_lora_tensors_get_llama_cpp_names_and_shapes() -> None:
    state = adapter_state()
    tensors = lora_tensors(state)
    assert list(tensors)[:2] == ["blk.0.attn_k.weight.lora_a", "blk.0.attn_k.weight.lora_b"]
    assert set(tensors) == {
        f"blk.{layer}.{name}.weight.lora_{side}"
        for layer in (0, 11)
        for name in ("attn_q", "attn_k", "ffn_down")
        for side in "ab"
    }
    assert tensors["blk.11.ffn_down.weight.lora_a"].shape == (4, 2048)
    assert tensors["blk.11.ffn_down.weight.lora_b"].shape == (640, 4)
    np.testing.assert_array_equal(
        tensors["blk.0.attn_q.weight.lora_b"],
        state[f"{PREFIX}.layers.0.self_attn.q_proj.lora_B.weight"],
    )


def test_unknown_modules_and_empty_adapters_are_refused() -> None:
    with pytest.raises(ValueError, match=r"no llama\.cpp name"):
        lora_tensors({f"{PREFIX}.layers.0.mlp.odd_proj.lora_A.weight": np.zeros((2, 2))})
    with pytest.raises(ValueError, match="no LoRA weights"):
        lora_tensors({"something.else": np.zeros(2)})


def test_token_rows_are_the_trained_rows() -> None:
    state = adapter_state()
    rows = token_rows(state)
    assert rows.shape == (5, 640)
    with pytest.raises(ValueError, match="one functional-token row tensor"):
        token_rows({})


def test_lora_gguf_is_an_adapter_file_llama_cpp_can_read(tmp_path) -> None:
    path = tmp_path / "lora.gguf"
    tensors = lora_tensors(adapter_state())
    write_lora_gguf(path, tensors, alpha=8.0, architecture="gemma3")
    reader = gguf.GGUFReader(path)
    assert reader.get_field("general.type").contents() == "adapter"
    assert reader.get_field("adapter.type").contents() == "lora"
    assert reader.get_field("adapter.lora.alpha").contents() == 8.0
    assert reader.get_field("general.architecture").contents() == "gemma3"
    read = {tensor.name: tensor for tensor in reader.tensors}
    assert set(read) == set(tensors)
    lora_b = read["blk.0.attn_q.weight.lora_b"]
    assert list(lora_b.shape) == [4, 1024]  # GGUF lists the row width first
    np.testing.assert_array_equal(
        np.asarray(lora_b.data).reshape(1024, 4), tensors["blk.0.attn_q.weight.lora_b"]
    )
