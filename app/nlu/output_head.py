"""Scores of a few tokens from the model's final hidden state, computed the way llama.cpp's
output head computes them.

Gemma ties its output head to the 262,144-row embedding, so the head costs more per generated
token than the whole transformer. The call grammar admits only a few hundred tokens for one
utterance (`candidates.py`); scoring just those rows here makes a token cost what it must.

The embedding is Q4_0 (`model_store.EMBEDDING_TYPE`), and llama.cpp multiplies it with the
hidden state quantized to Q8_0: per block of 32, an exact integer dot product scaled by both
blocks' scales. The same is done here, so the scores agree with llama.cpp's logits up to the
order in which the block products are summed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import gguf
import numpy as np
import numpy.typing as npt

from app.nlu.gguf_layout import tensor_location
from app.nlu.model_store import EMBEDDING_TENSOR

BLOCK = 32
_Q4_0_BLOCK_BYTES = 2 + BLOCK // 2
ROWS_KEPT = 30_000
"""Rows kept after reading (about 11 MB at 640 wide); more, and they are read again."""


class OutputHeadError(RuntimeError):
    """The model's output head is not one this module can score."""


@dataclass(frozen=True)
class HeadRows:
    """Some rows of the output head, unpacked for scoring."""

    tokens: npt.NDArray[np.intc]
    quants: npt.NDArray[np.float32]
    """Shape (blocks, rows, 32): the 4-bit values minus 8 (small integers, exact in float)."""
    scales: npt.NDArray[np.float32]
    """Shape (blocks, rows)."""


class QuantizedOutputHead:
    """The Q4_0 embedding of a GGUF model; `rows()` reads and unpacks some of its rows,
    `scores()` multiplies them with a hidden state. `close()` closes the model file."""

    def __init__(self, model_path: Path) -> None:
        location = tensor_location(model_path, EMBEDDING_TENSOR)
        if location.tensor_type != gguf.GGMLQuantizationType.Q4_0:
            raise OutputHeadError(
                f"{EMBEDDING_TENSOR} is {location.tensor_type.name}, not Q4_0, in {model_path}"
            )
        width, n_vocab = location.shape
        if width % BLOCK:
            raise OutputHeadError(f"{EMBEDDING_TENSOR} rows of {width} are not whole blocks")
        self.width = int(width)
        self.n_vocab = int(n_vocab)
        self._blocks = self.width // BLOCK
        self._row_bytes = self._blocks * _Q4_0_BLOCK_BYTES
        self._offset = location.offset
        self._file = model_path.open("rb", buffering=0)
        self._read: dict[int, bytes] = {}
        """Rows read so far (the call syntax and common words come back in every call)."""

    def rows(self, tokens: npt.NDArray[np.intc]) -> HeadRows:
        if len(self._read) > ROWS_KEPT:
            self._read.clear()
        raw = np.frombuffer(
            b"".join(self._row(int(token)) for token in tokens), dtype=np.uint8
        ).reshape(len(tokens), self._blocks, _Q4_0_BLOCK_BYTES)
        scales = raw[:, :, :2].copy().view(np.float16)[:, :, 0].astype(np.float32)
        packed = raw[:, :, 2:]
        # Q4_0 keeps elements 0-15 of a block in the low nibbles, 16-31 in the high ones.
        values = np.concatenate([packed & 0x0F, packed >> 4], axis=2).astype(np.float32) - 8.0
        return HeadRows(
            tokens=tokens,
            quants=np.ascontiguousarray(values.transpose(1, 0, 2)),
            scales=np.ascontiguousarray(scales.T),
        )

    def _row(self, token: int) -> bytes:
        """One row, read rather than memory-mapped: llama.cpp maps the same file, and pages
        mapped here a second time would count twice in the process's resident memory (the
        page cache holds large blocks of the file, so a call's few hundred scattered rows
        would map about 80 MB)."""
        row = self._read.get(token)
        if row is None:
            offset = self._offset + token * self._row_bytes
            row = os.pread(self._file.fileno(), self._row_bytes, offset)
            if len(row) != self._row_bytes:
                raise OutputHeadError(f"row {token} of {EMBEDDING_TENSOR} is cut short")
            self._read[token] = row
        return row

    def close(self) -> None:
        self._file.close()

    def scores(self, hidden: npt.NDArray[np.float32], rows: HeadRows) -> npt.NDArray[np.float32]:
        """The logits of `rows.tokens` for one final hidden state (after the output norm)."""
        blocks = hidden.astype(np.float32, copy=False).reshape(self._blocks, BLOCK)
        quantized, block_scales = quantize_q8_0(blocks)
        integer_sums = np.matmul(rows.quants, quantized[:, :, None])[:, :, 0]  # (blocks, rows)
        scaled = rows.scales * block_scales[:, None]
        return np.asarray((scaled * integer_sums).sum(axis=0, dtype=np.float32))


def quantize_q8_0(
    blocks: npt.NDArray[np.float32],
) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
    """llama.cpp's Q8_0 of blocks of 32 values: each block scaled so its largest magnitude is
    127 and rounded to the nearest integer (ties to even, as its vector code does); the scale
    stored as float16. Returns the integers (as float32) and the scales (float16 → float32)."""
    largest = np.abs(blocks).max(axis=1)
    inverse = np.divide(
        np.float32(127.0), largest, out=np.zeros_like(largest), where=largest != 0
    ).astype(np.float32)
    quantized = np.rint(blocks * inverse[:, None]).astype(np.float32)
    scales = (largest / np.float32(127.0)).astype(np.float16).astype(np.float32)
    return quantized, scales
