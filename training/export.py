"""Export a trained adapter as the small deltas the app ships in `models/`:

- `call_lora.gguf`: the LoRA adapter in llama.cpp's adapter format, which llama.cpp applies
  at load time, or which the model store merges into the layers it changes (`--merge`, as
  `merged_adapter.MERGED_TYPE`: faster calls, not the same calls; see models/README.md),
- `functional_token_rows.gguf`: the trained embedding rows of the functional tokens, which
  `app.nlu.model_store` writes into the pinned base GGUF (Gemma ties input and output rows),
- `manifest.json`: base package, token ids, file checksums and the checksum of the runnable
  model that base + rows (+ the adapter, where merged) must rebuild to.

    python -m training.export [--adapter DIR] [--models-dir DIR] [--merge]
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import tempfile
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import gguf
import numpy as np
from safetensors.numpy import load_file

from app.nlu import model_store
from app.nlu.functions import FUNCTIONAL_TOKENS
from app.nlu.merged_adapter import MERGED_TYPE
from training.settings import DEFAULT_CONFIG, load_config

LOG = logging.getLogger("training.export")

_HF_TO_GGUF = {
    "self_attn.q_proj": "attn_q",
    "self_attn.k_proj": "attn_k",
    "self_attn.v_proj": "attn_v",
    "self_attn.o_proj": "attn_output",
    "mlp.gate_proj": "ffn_gate",
    "mlp.up_proj": "ffn_up",
    "mlp.down_proj": "ffn_down",
}
_LORA_KEY = re.compile(r"\.layers\.(\d+)\.(\w+\.\w+)\.lora_([AB])\.weight$")
_TOKEN_ROWS_KEY = "embed_tokens.token_adapter.trainable_tokens_delta"


def lora_tensors(state: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """PEFT LoRA weights under llama.cpp adapter names: `blk.N.attn_q.weight.lora_a` is A
    (rank x in), `.lora_b` is B (out x rank), as `convert_lora_to_gguf.py` writes them."""
    tensors: dict[str, np.ndarray] = {}
    for key, value in state.items():
        match = _LORA_KEY.search(key)
        if match is None:
            continue
        layer, module, side = match.groups()
        if module not in _HF_TO_GGUF:
            raise ValueError(f"no llama.cpp name for LoRA module {module!r} ({key})")
        name = f"blk.{layer}.{_HF_TO_GGUF[module]}.weight.lora_{side.lower()}"
        tensors[name] = np.ascontiguousarray(value, dtype=np.float32)
    if not tensors:
        raise ValueError("the adapter holds no LoRA weights")
    return dict(sorted(tensors.items(), key=lambda item: _natural_key(item[0])))


def _natural_key(name: str) -> tuple[int, str]:
    match = re.match(r"blk\.(\d+)\.(.*)", name)
    return (int(match.group(1)), match.group(2)) if match else (-1, name)


def token_rows(state: dict[str, np.ndarray]) -> np.ndarray:
    keys = [key for key in state if key.endswith(_TOKEN_ROWS_KEY)]
    if len(keys) != 1:
        raise ValueError(f"expected one functional-token row tensor, found {keys}")
    return np.ascontiguousarray(state[keys[0]], dtype=np.float32)


def write_lora_gguf(
    path: Path, tensors: dict[str, np.ndarray], *, alpha: float, architecture: str
) -> None:
    writer = gguf.GGUFWriter(str(path), architecture)
    writer.add_type(gguf.GGUFType.ADAPTER)
    writer.add_string(gguf.Keys.Adapter.TYPE, "lora")
    writer.add_float32(gguf.Keys.Adapter.LORA_ALPHA, float(alpha))
    for name, array in tensors.items():
        writer.add_tensor(name, array)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


def export(
    adapter_dir: Path, models_dir: Path, work_dir: Path, *, merge: bool = False
) -> model_store.Manifest:
    """Write the deltas and manifest into `models_dir` and check that the runnable model
    builds from them (with the adapter merged into it, if `merge`); returns the manifest."""
    started = time.perf_counter()
    adapter_config = json.loads((adapter_dir / "adapter_config.json").read_text("utf-8"))
    state = load_file(str(adapter_dir / "adapter_model.safetensors"))
    token_ids = [int(i) for i in adapter_config["trainable_token_indices"]["embed_tokens"]]
    if len(token_ids) != len(FUNCTIONAL_TOKENS):
        raise ValueError(
            f"adapter trains {len(token_ids)} token rows, expected the functional ones"
        )
    rows = token_rows(state)
    models_dir.mkdir(parents=True, exist_ok=True)
    lora_path = models_dir / model_store.LORA_FILE
    rows_path = models_dir / model_store.TOKEN_ROWS_FILE
    write_lora_gguf(
        lora_path,
        lora_tensors(state),
        alpha=float(adapter_config["lora_alpha"]),
        architecture="gemma3",
    )
    model_store.write_token_rows(rows_path, token_ids, rows)
    unbuilt = model_store.Manifest(
        base_package=model_store.BASE_PACKAGE,
        base_sha256=model_store.base_sha256(),
        token_ids=tuple(token_ids),
        files={
            model_store.LORA_FILE: model_store.sha256_file(lora_path),
            model_store.TOKEN_ROWS_FILE: model_store.sha256_file(rows_path),
        },
        model_sha256="",
        lora_rank=int(adapter_config["r"]),
        lora_alpha=float(adapter_config["lora_alpha"]),
        embedding_type=model_store.EMBEDDING_TYPE,
        merged_type=MERGED_TYPE if merge else None,
    )
    with tempfile.TemporaryDirectory(dir=work_dir) as scratch:
        built = Path(scratch) / "model.gguf"
        model_store.build_model(
            built,
            rows_path,
            unbuilt.embedding_type,
            model_store.adapter_merge(unbuilt, lora_path),
        )
        manifest = replace(unbuilt, model_sha256=model_store.sha256_file(built))
    model_store.write_manifest(models_dir / model_store.MANIFEST_FILE, manifest)
    LOG.info(
        "exported to %s in %.1f s: %s %.1f MB, %s %.1f kB",
        models_dir,
        time.perf_counter() - started,
        lora_path.name,
        lora_path.stat().st_size / 1e6,
        rows_path.name,
        rows_path.stat().st_size / 1e3,
    )
    return manifest


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Export the trained adapter into models/.")
    parser.add_argument("--config", type=Path, default=DEFAULT_CONFIG)
    parser.add_argument("--adapter", type=Path, default=None)
    parser.add_argument("--models-dir", type=Path, default=None)
    parser.add_argument(
        "--merge",
        action="store_true",
        help=f"merge the adapter into the model's layers ({MERGED_TYPE}) when it is built",
    )
    arguments = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    config = load_config(arguments.config)
    adapter = arguments.adapter or config.work_dir / "adapter"
    models_dir = arguments.models_dir or config.models_dir
    config.work_dir.mkdir(parents=True, exist_ok=True)
    export(adapter, models_dir, config.work_dir, merge=arguments.merge)


if __name__ == "__main__":
    main()
