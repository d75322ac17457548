"""A tiny randomly initialised Gemma 3 and a word-level tokenizer for the training tests
(seconds, not the real 270M model). Import only after `pytest.importorskip("torch")`."""

from __future__ import annotations

import torch
import transformers
from tokenizers import Tokenizer, models, pre_tokenizers

from app.nlu.call_format import prompt, render
from app.nlu.functions import FUNCTIONAL_TOKENS
from training.settings import LoraSettings, TrainSettings
from training.train import Example

EXAMPLES = [
    Example(
        "Trag morgen Zahnarzt ein", render("create_event", {"title": "Zahnarzt", "date": "morgen"})
    ),
    Example("Was habe ich morgen vor", render("list_events", {"range": "morgen"})),
    Example("Lösche Yoga heute", render("delete_event", {"title": "Yoga", "date": "heute"})),
    Example(
        "Add dentist tomorrow at 3 pm",
        render("create_event", {"title": "dentist", "date": "tomorrow", "time": "at 3 pm"}),
    ),
    Example("tell me a joke", render("none", {})),
]
LORA = LoraSettings(
    lora_rank=4,
    lora_alpha=8,
    lora_dropout=0.0,
    target_modules=("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"),
)


def settings(**changes: object) -> TrainSettings:
    values: dict[str, object] = {
        "learning_rate": 1e-2,
        "token_rows_learning_rate": 1e-2,
        "warmup_steps": 2,
        "weight_decay": 0.0,
        "max_grad_norm": 1.0,
        "batch_tokens": 128,
        "max_sequence_tokens": 96,
        "epochs": 1,
        "max_examples": 0,
        "time_budget_minutes": 0,
        "calibration_steps": 2,
        "replan_every_steps": 4,
        "threads": 1,
        "bf16_autocast": False,
        "log_every_steps": 5,
    }
    values.update(changes)
    return TrainSettings(**values)  # type: ignore[arg-type]


def word_tokenizer() -> transformers.PreTrainedTokenizerFast:
    """Word-level: every whitespace/punctuation piece of the examples is one token; the
    special tokens sit at the low ids, as in Gemma."""
    specials = ["<pad>", "<eos>", "<bos>", "<unk>", *FUNCTIONAL_TOKENS]
    words: set[str] = set()
    splitter = pre_tokenizers.WhitespaceSplit()
    for example in EXAMPLES:
        for text in (prompt(example.text), example.completion):
            for token in FUNCTIONAL_TOKENS:
                text = text.replace(token, " ")
            words.update(piece for piece, _ in splitter.pre_tokenize_str(text))
    vocab = {token: index for index, token in enumerate([*specials, *sorted(words)])}
    core = Tokenizer(models.WordLevel(vocab=vocab, unk_token="<unk>"))
    core.pre_tokenizer = splitter
    fast = transformers.PreTrainedTokenizerFast(
        tokenizer_object=core,
        bos_token="<bos>",
        eos_token="<eos>",
        pad_token="<pad>",
        unk_token="<unk>",
    )
    fast.add_special_tokens({"additional_special_tokens": list(FUNCTIONAL_TOKENS)})
    return fast


def tiny_model(vocab_size: int) -> transformers.PreTrainedModel:
    torch.manual_seed(0)
    config = transformers.Gemma3TextConfig(
        vocab_size=vocab_size,
        hidden_size=32,
        intermediate_size=64,
        num_hidden_layers=2,
        num_attention_heads=2,
        num_key_value_heads=1,
        head_dim=16,
        max_position_embeddings=128,
        sliding_window=64,
        layer_types=["sliding_attention", "full_attention"],
        tie_word_embeddings=True,
    )
    return transformers.Gemma3ForCausalLM(config)
