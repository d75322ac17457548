"""Where things lie in a GGUF file, read from its header alone, and the same file written again
with some tensors replaced (the call model's build: its embedding requantized, the adapter
merged into its layers)."""

from __future__ import annotations

import mmap
import struct
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import gguf
import numpy as np


class GgufLayoutError(RuntimeError):
    """The file is not a GGUF this code can read; the message says which."""


_SCALAR_FORMATS = {0: "B", 1: "b", 2: "H", 3: "h", 4: "I", 5: "i", 6: "f", 7: "?", 10: "Q", 11: "q"}
_SCALAR_FORMATS[12] = "d"
_STRING_TYPE = 8
_ARRAY_TYPE = 9


@dataclass(frozen=True)
class TensorLocation:
    offset: int
    """Byte offset of the tensor's data in the file."""
    tensor_type: gguf.GGMLQuantizationType
    shape: tuple[int, ...]
    """As GGUF lists it: the row width first."""

    @property
    def n_bytes(self) -> int:
        block_size, block_bytes = gguf.GGML_QUANT_SIZES[self.tensor_type]
        return int(np.prod(self.shape)) // block_size * block_bytes


@dataclass(frozen=True)
class GgufLayout:
    """Where things lie in a GGUF file: the header with the metadata, the tensor directory
    (name → location, in the file's order) and the aligned data after it."""

    tensors_start: int
    """Where the tensor directory begins (the end of the metadata)."""
    alignment: int
    tensors: dict[str, TensorLocation]


def read_layout(model_path: Path) -> GgufLayout:
    """Reads only the header, skipping the large vocabulary arrays quickly
    (`gguf.GGUFReader` parses them all, which takes seconds)."""
    with (
        model_path.open("rb") as stream,
        mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ) as data,
    ):
        if data[:4] != b"GGUF":
            raise GgufLayoutError(f"{model_path} is not a GGUF file")
        version, tensor_count, kv_count = struct.unpack_from("<IQQ", data, 4)
        if version < 2:
            raise GgufLayoutError(f"{model_path}: GGUF version {version} is not supported")
        position = 24
        alignment = gguf.GGUF_DEFAULT_ALIGNMENT

        def read_string(at: int) -> tuple[bytes, int]:
            (length,) = struct.unpack_from("<Q", data, at)
            return data[at + 8 : at + 8 + length], at + 8 + length

        def skip_value(value_type: int, at: int) -> int:
            if value_type == _STRING_TYPE:
                return read_string(at)[1]
            if value_type == _ARRAY_TYPE:
                element_type, count = struct.unpack_from("<IQ", data, at)
                at += 12
                if element_type in _SCALAR_FORMATS:
                    return at + int(count) * struct.calcsize("<" + _SCALAR_FORMATS[element_type])
                for _ in range(count):
                    at = skip_value(element_type, at)
                return at
            return at + struct.calcsize("<" + _SCALAR_FORMATS[value_type])

        for _ in range(kv_count):
            key, position = read_string(position)
            (value_type,) = struct.unpack_from("<I", data, position)
            position += 4
            if key == b"general.alignment":
                alignment = int(struct.unpack_from("<I", data, position)[0])
            position = skip_value(value_type, position)
        tensors_start = position
        relative: dict[str, tuple[int, int, tuple[int, ...]]] = {}
        for _ in range(tensor_count):
            tensor_name, position = read_string(position)
            (n_dims,) = struct.unpack_from("<I", data, position)
            shape = struct.unpack_from(f"<{n_dims}Q", data, position + 4)
            position += 4 + 8 * n_dims
            tensor_type, offset = struct.unpack_from("<IQ", data, position)
            position += 12
            relative[tensor_name.decode("utf-8")] = (offset, tensor_type, tuple(shape))
        data_start = _aligned(position, alignment)
        tensors = {
            name: TensorLocation(data_start + offset, gguf.GGMLQuantizationType(kind), shape)
            for name, (offset, kind, shape) in relative.items()
        }
        return GgufLayout(tensors_start, alignment, tensors)


def _aligned(position: int, alignment: int) -> int:
    return -(-position // alignment) * alignment


def tensor_location(model_path: Path, name: str) -> TensorLocation:
    """Where a tensor's data lies in a GGUF file."""
    location = read_layout(model_path).tensors.get(name)
    if location is None:
        raise GgufLayoutError(f"{model_path} has no tensor {name}")
    return location


def write_with_replaced_tensors(
    source: mmap.mmap,
    layout: GgufLayout,
    target: Path,
    replacements: Mapping[str, tuple[gguf.GGMLQuantizationType, bytes]],
) -> None:
    """The same GGUF with some tensors' types and data replaced (name → new type and data);
    the others are copied byte for byte, all in their order."""
    in_data_order = sorted(layout.tensors.items(), key=lambda item: item[1].offset)
    new_offsets: dict[str, int] = {}
    position = 0
    for tensor_name, location in in_data_order:
        position = _aligned(position, layout.alignment)
        new_offsets[tensor_name] = position
        replaced = replacements.get(tensor_name)
        position += len(replaced[1]) if replaced is not None else location.n_bytes
    directory = bytearray()
    for tensor_name, location in layout.tensors.items():
        encoded = tensor_name.encode("utf-8")
        replaced = replacements.get(tensor_name)
        kind = replaced[0] if replaced is not None else location.tensor_type
        directory += struct.pack("<Q", len(encoded)) + encoded
        directory += struct.pack(f"<I{len(location.shape)}Q", len(location.shape), *location.shape)
        directory += struct.pack("<IQ", int(kind), new_offsets[tensor_name])
    header_end = layout.tensors_start + len(directory)
    data_start = _aligned(header_end, layout.alignment)
    with target.open("wb") as out:
        out.write(source[: layout.tensors_start])
        out.write(directory)
        out.write(bytes(data_start - header_end))
        for tensor_name, location in in_data_order:
            out.write(bytes(data_start + new_offsets[tensor_name] - out.tell()))
            replaced = replacements.get(tensor_name)
            if replaced is not None:
                out.write(replaced[1])
            else:
                out.write(source[location.offset : location.offset + location.n_bytes])
