"""The LoRA adapter merged into the call model's weights when the model is built: each layer the
adapter changes is dequantized, the adapter's product added as llama.cpp adds it at run time
(W + alpha / rank · B·A), and the sum quantized as `MERGED_TYPE`. The merged model spares
llama.cpp the adapter's extra pass at every step of every call.

Q8_0, not the base's own 4- and 5-bit types: a second quantization to those loses the small
change the adapter makes (titles and durations lost); at Q8_0 the benchmark's full commands get
the same calls, and the evaluation sets a few different ones either way (models/README.md, which
says why the shipped model is not merged). The arithmetic is numpy's elementwise float64,
without BLAS, so that every machine builds the same bytes and the manifest's checksum holds."""

from __future__ import annotations

import mmap
from pathlib import Path

import gguf
import numpy as np
import numpy.typing as npt

from app.nlu.gguf_layout import TensorLocation, read_layout, write_with_replaced_tensors

MERGED_TYPE = "Q8_0"
_A, _B = "lora_a", "lora_b"


class AdapterMergeError(RuntimeError):
    """The adapter does not fit the model; the message says how."""


def read_adapter(path: Path) -> dict[str, tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]]:
    """Each adapted tensor's name → its (A, B) pair: A has a row per rank, B a column."""
    parts: dict[str, dict[str, npt.NDArray[np.float32]]] = {}
    for tensor in gguf.GGUFReader(path).tensors:
        name, _, part = tensor.name.rpartition(".")
        if part not in (_A, _B):
            raise AdapterMergeError(f"{path}: {tensor.name} is not a LoRA tensor")
        parts.setdefault(name, {})[part] = np.array(tensor.data, dtype=np.float32)
    pairs = {}
    for name, pair in parts.items():
        if set(pair) != {_A, _B}:
            raise AdapterMergeError(f"{path}: {name} lacks its {_A} or {_B}")
        pairs[name] = (pair[_A], pair[_B])
    return pairs


def merged_weights(
    weights: npt.NDArray[np.float32],
    lora_a: npt.NDArray[np.float32],
    lora_b: npt.NDArray[np.float32],
    scale: float,
) -> npt.NDArray[np.float32]:
    """weights + scale · B·A, summed rank by rank in float64 (the same bytes on any machine)."""
    rank = lora_a.shape[0]
    if lora_b.shape != (weights.shape[0], rank) or lora_a.shape != (rank, weights.shape[1]):
        raise AdapterMergeError(
            f"an adapter pair {lora_b.shape} · {lora_a.shape} does not fit weights {weights.shape}"
        )
    total = weights.astype(np.float64)
    a, b = lora_a.astype(np.float64), lora_b.astype(np.float64)
    for index in range(rank):
        total += scale * np.multiply.outer(b[:, index], a[index])
    return total.astype(np.float32)


def merge_adapter(
    model_path: Path,
    adapter: Path,
    target: Path,
    *,
    rank: int,
    alpha: float,
    tensor_type: gguf.GGMLQuantizationType,
) -> None:
    """Write `model_path` to `target` with the adapter merged into every tensor it changes,
    those quantized as `tensor_type`; everything else copied byte for byte."""
    pairs = read_adapter(adapter)
    layout = read_layout(model_path)
    missing = sorted(set(pairs) - set(layout.tensors))
    if missing:
        raise AdapterMergeError(f"the model has no {missing[0]}, which the adapter changes")
    scale = alpha / rank
    replacements: dict[str, tuple[gguf.GGMLQuantizationType, bytes]] = {}
    with model_path.open("rb") as stream:
        source = mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ)
        try:
            for name, (lora_a, lora_b) in pairs.items():
                if lora_a.shape[0] != rank:
                    raise AdapterMergeError(f"{name} has rank {lora_a.shape[0]}, not {rank}")
                weights = _weights(source, layout.tensors[name])
                merged = merged_weights(weights, lora_a, lora_b, scale)
                quantized = gguf.quants.quantize(merged, tensor_type)
                replacements[name] = (tensor_type, quantized.tobytes())
            write_with_replaced_tensors(source, layout, target, replacements)
        finally:
            source.close()


def _weights(source: mmap.mmap, location: TensorLocation) -> npt.NDArray[np.float32]:
    """A tensor's weights as float32, outputs by inputs, in memory of their own (no view into
    `source`, which is closed after the merge)."""
    inputs, outputs = location.shape[0], location.shape[1]
    raw = np.frombuffer(source, np.uint8, location.n_bytes, location.offset)
    weights = gguf.quants.dequantize(raw.reshape(outputs, -1), location.tensor_type)
    return np.array(weights, dtype=np.float32).reshape(outputs, inputs)
