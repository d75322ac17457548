"""The optional preference step after supervised training: ORPO (Hong et al., 2024, "ORPO:
Monolithic Preference Optimization without Reference Model") on the model's own near misses.

For a sample of training records the supervised model writes its best call among the *other*
functions (the runtime model under the copy grammar, narrowed to those functions); that call is
the rejected completion and the gold call the chosen one. The loss is the chosen call's
cross-entropy plus `weight` times -log sigmoid of the log odds ratio between the two calls'
length-normalised probabilities.

    python -m training.preference [--config training/config.toml] [--adapter DIR]
                                  [--sft-models DIR]

Writes the adapter to `<work_dir>/preference-adapter`, the mined pairs and a report beside it.
"""

from __future__ import annotations

import argparse
import json
import logging
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import torch
from peft import PeftModel

from app.nlu.call_format import prompt, render
from app.nlu.functions import FUNCTIONS, FUNCTIONS_BY_NAME, FunctionSpec
from training.settings import DEFAULT_CONFIG, Config, TrainSettings, load_config
from training.train import (
    EncodedExample,
    Example,
    StepLoss,
    TrainReport,
    base_gguf_path,
    batches_by_length,
    collate,
    completion_logits,
    encode,
    load_base,
    optimize,
    seed_everything,
)

LOG = logging.getLogger("training.preference")
ADAPTER_FOLDER = "preference-adapter"
PAIRS_FILE = "preference_pairs.jsonl"
REPORT_FILE = "preference_report.json"


@dataclass(frozen=True)
class Pair:
    text: str
    chosen: str
    rejected: str


Completer = Callable[[str, tuple[FunctionSpec, ...]], str]
"""(utterance, functions allowed) → the model's completion."""


def mine_pairs(records: Sequence[dict[str, Any]], complete: Completer) -> list[Pair]:
    """Each record's gold call against the model's best call of another function."""
    pairs = []
    for record in records:
        chosen = record.get("completion") or render(record["function"], record["phrases"])
        gold = FUNCTIONS_BY_NAME[record["function"]]
        others = tuple(function for function in FUNCTIONS if function is not gold)
        pairs.append(Pair(record["text"], chosen, complete(record["text"], others)))
    return pairs


@dataclass(frozen=True)
class EncodedPair:
    chosen: EncodedExample
    rejected: EncodedExample

    @property
    def length(self) -> int:
        return max(len(self.chosen.input_ids), len(self.rejected.input_ids))


def encode_pair(tokenizer: Any, pair: Pair) -> EncodedPair:
    return EncodedPair(
        chosen=encode(tokenizer, Example(pair.text, pair.chosen)),
        rejected=encode(tokenizer, Example(pair.text, pair.rejected)),
    )


def _log_one_minus_exp(log_p: torch.Tensor) -> torch.Tensor:
    """log(1 - p) from log p, stable near p = 1."""
    return torch.log(-torch.expm1(log_p.clamp(max=-1e-6)))


@dataclass(frozen=True)
class PairLosses:
    total: torch.Tensor
    """What is minimised; the other fields are its parts' values, for the report."""
    chosen_cross_entropy: float
    odds_ratio: float
    """-log sigmoid(log odds ratio), the mean over the batch."""
    chosen_preferred: float
    """Share of pairs whose chosen call is the likelier one (length-normalised)."""


def orpo_losses(
    model: PeftModel, batch: Sequence[EncodedPair], pad_id: int, weight: float
) -> PairLosses:
    count = len(batch)
    inputs = collate([pair.chosen for pair in batch] + [pair.rejected for pair in batch], pad_id)
    logits, targets, rows = completion_logits(model, inputs)
    token_log_p = -torch.nn.functional.cross_entropy(logits, targets, reduction="none")
    sums = torch.zeros(2 * count, dtype=token_log_p.dtype).index_add(0, rows, token_log_p)
    mean_log_p = sums / torch.bincount(rows, minlength=2 * count).clamp(min=1)
    chosen, rejected = mean_log_p[:count], mean_log_p[count:]
    log_odds = (chosen - rejected) - (_log_one_minus_exp(chosen) - _log_one_minus_exp(rejected))
    odds_ratio = -torch.nn.functional.logsigmoid(log_odds).mean()
    chosen_cross_entropy = -token_log_p[rows < count].mean()
    return PairLosses(
        total=chosen_cross_entropy + weight * odds_ratio,
        chosen_cross_entropy=float(chosen_cross_entropy.detach()),
        odds_ratio=float(odds_ratio.detach()),
        chosen_preferred=float((chosen > rejected).float().mean()),
    )


def loop_settings(config: Config) -> TrainSettings:
    """The supervised loop's settings with the preference step's rates, epochs and budget."""
    preference = config.preference
    return replace(
        config.train,
        learning_rate=preference.learning_rate,
        token_rows_learning_rate=preference.token_rows_learning_rate,
        epochs=preference.epochs,
        time_budget_minutes=preference.time_budget_minutes,
    )


def train_pairs(
    model: PeftModel,
    pairs: Sequence[EncodedPair],
    settings: TrainSettings,
    *,
    weight: float,
    seed: int,
    pad_id: int,
) -> tuple[TrainReport, list[PairLosses]]:
    """ORPO steps over `pairs` (batches of equal length, chosen and rejected in one batch);
    returns the loop's report and each step's losses."""
    rng = random.Random(seed)
    batches = [
        batch
        for _ in range(settings.epochs)
        for batch in batches_by_length(
            pairs, lambda pair: pair.length, settings.batch_tokens, rng, rows_per_item=2
        )
    ]
    history: list[PairLosses] = []

    def loss_of(batch: list[EncodedPair]) -> StepLoss:
        losses = orpo_losses(model, batch, pad_id, weight)
        history.append(losses)
        rows = [pair.chosen for pair in batch] + [pair.rejected for pair in batch]
        return StepLoss(
            loss=losses.total,
            tokens=2 * len(batch) * max(pair.length for pair in batch),
            completion_tokens=sum(len(row.input_ids) - row.prompt_length for row in rows),
        )

    return optimize(model, batches, loss_of, settings, examples=len(pairs)), history


def _summary(history: Sequence[PairLosses], steps: slice) -> dict[str, float]:
    chosen = history[steps]
    if not chosen:
        return {}
    return {
        "odds_ratio_loss": round(sum(h.odds_ratio for h in chosen) / len(chosen), 4),
        "chosen_cross_entropy": round(sum(h.chosen_cross_entropy for h in chosen) / len(chosen), 4),
        "chosen_preferred": round(sum(h.chosen_preferred for h in chosen) / len(chosen), 4),
    }


def sample_records(path: Path, count: int, seed: int) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as lines:
        records = [json.loads(line) for line in lines if line.strip()]
    random.Random(seed).shuffle(records)
    return records[:count]


def run_preference(config: Config, adapter_dir: Path, sft_models_dir: Path) -> Path:
    """Mine pairs with the exported supervised model in `sft_models_dir`, then continue
    training `adapter_dir` with ORPO; returns the new adapter folder."""
    from app.nlu.llama_model import LlamaCallModel
    from app.nlu.model_store import ensure_model

    seed_everything(config.seed)
    started = time.perf_counter()
    records = sample_records(config.data_dir / "train.jsonl", config.preference.pairs, config.seed)
    model_path = ensure_model(sft_models_dir, cache_dir=config.work_dir / "preference-cache")
    call_model = LlamaCallModel(model_path, threads=config.train.threads)
    try:
        pairs = mine_pairs(
            records,
            lambda text, functions: (
                call_model.complete(prompt(text), copy_from=text, functions=functions).text
            ),
        )
    finally:
        call_model.close()
    mining_s = time.perf_counter() - started
    LOG.info("mined %d pairs in %.0f s", len(pairs), mining_s)
    with (config.work_dir / PAIRS_FILE).open("w", encoding="utf-8") as out:
        for pair in pairs:
            out.write(json.dumps(asdict(pair), ensure_ascii=False) + "\n")

    model, tokenizer = load_base(base_gguf_path(config.work_dir), config.model.embedding_type)
    peft_model = PeftModel.from_pretrained(model, adapter_dir, is_trainable=True)
    encoded = [encode_pair(tokenizer, pair) for pair in pairs]
    limit = config.train.max_sequence_tokens
    encoded = [pair for pair in encoded if pair.length <= limit]
    trained, history = train_pairs(
        peft_model,
        encoded,
        loop_settings(config),
        weight=config.preference.weight,
        seed=config.seed,
        pad_id=tokenizer.pad_token_id,
    )
    out_dir = config.work_dir / ADAPTER_FOLDER
    peft_model.save_pretrained(out_dir)
    report: dict[str, Any] = asdict(trained)
    report["mining_seconds"] = round(mining_s, 1)
    report["settings"] = asdict(config.preference)
    report["first_steps"] = _summary(history, slice(0, 10))
    report["last_steps"] = _summary(history, slice(-10, None))
    (config.work_dir / REPORT_FILE).write_text(json.dumps(report, indent=1), encoding="utf-8")
    LOG.info(
        "preference step: %d steps in %.0f s; first %s, last %s",
        report["steps"],
        report["seconds"],
        report["first_steps"],
        report["last_steps"],
    )
    return out_dir


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, default=DEFAULT_CONFIG)
    parser.add_argument("--adapter", type=Path, default=None, help="the supervised adapter")
    parser.add_argument(
        "--sft-models", type=Path, default=None, help="its export (default: models/)"
    )
    arguments = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    config = load_config(arguments.config)
    run_preference(
        config,
        arguments.adapter or config.work_dir / "adapter",
        arguments.sft_models or config.models_dir,
    )


if __name__ == "__main__":
    main()
