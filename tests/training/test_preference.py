"""The ORPO step on the tiny Gemma of `tiny_gemma` (seconds)."""

from __future__ import annotations

import math

import pytest

torch = pytest.importorskip("torch", reason="the training extra is not installed")
pytest.importorskip("transformers", reason="the training extra is not installed")
pytest.importorskip("peft", reason="the training extra is not installed")

from app.nlu.call_format import render  # noqa: E402
from app.nlu.functions import FUNCTIONS  # noqa: E402
from tests.training.tiny_gemma import EXAMPLES, LORA, settings, tiny_model  # noqa: E402
from training.preference import (  # noqa: E402
    Pair,
    _log_one_minus_exp,
    encode_pair,
    mine_pairs,
    orpo_losses,
    train_pairs,
)
from training.train import (  # noqa: E402
    attach_adapter,
    collate,
    completion_loss,
    functional_token_ids,
)

WRONG = [
    render("list_events", {"range": "morgen"}),
    render("create_event", {"title": "Zahnarzt"}),
    render("none", {}),
    render("delete_event", {"title": "dentist", "date": "tomorrow"}),
    render("create_event", {"title": "joke"}),
]
PAIRS = [
    Pair(example.text, example.completion, rejected)
    for example, rejected in zip(EXAMPLES, WRONG, strict=True)
]


def test_mining_asks_the_model_for_a_call_of_another_function() -> None:
    records = [
        {"text": "Trag morgen Zahnarzt ein", "function": "create_event", "phrases": {}},
        {"text": "tell me a joke", "function": "none", "phrases": {}, "completion": "given"},
    ]
    asked: list[tuple[str, set[str]]] = []

    def complete(text: str, functions: tuple) -> str:
        asked.append((text, {function.name for function in functions}))
        return f"second choice for {text}"

    pairs = mine_pairs(records, complete)
    everything = {function.name for function in FUNCTIONS}
    assert asked == [
        ("Trag morgen Zahnarzt ein", everything - {"create_event"}),
        ("tell me a joke", everything - {"none"}),
    ]
    assert pairs[0].chosen == render("create_event", {})
    assert pairs[1].chosen == "given"
    assert [pair.rejected for pair in pairs] == [
        "second choice for Trag morgen Zahnarzt ein",
        "second choice for tell me a joke",
    ]


@pytest.mark.parametrize("log_p", [-1e-9, -1e-3, -0.5, -3.0, -40.0])
def test_log_one_minus_exp_is_finite_and_exact(log_p: float) -> None:
    value = float(_log_one_minus_exp(torch.tensor(log_p, dtype=torch.float64)))
    assert math.isfinite(value)
    expected = math.log(-math.expm1(min(log_p, -1e-6)))
    assert value == pytest.approx(expected, rel=1e-9)


def test_without_the_odds_term_the_loss_is_the_chosen_calls_cross_entropy(tokenizer) -> None:
    model = attach_adapter(tiny_model(len(tokenizer)), LORA, functional_token_ids(tokenizer))
    encoded = [encode_pair(tokenizer, pair) for pair in PAIRS]
    losses = orpo_losses(model, encoded, tokenizer.pad_token_id, weight=0.0)
    chosen_only = collate([pair.chosen for pair in encoded], tokenizer.pad_token_id)
    expected = completion_loss(model, chosen_only)
    assert torch.allclose(losses.total, expected, atol=1e-5)
    assert losses.chosen_cross_entropy == pytest.approx(float(expected.detach()), abs=1e-5)
    assert losses.odds_ratio > 0
    weighted = orpo_losses(model, encoded, tokenizer.pad_token_id, weight=2.0)
    assert float(weighted.total.detach()) == pytest.approx(
        float(expected.detach()) + 2.0 * weighted.odds_ratio, abs=1e-5
    )


def test_orpo_steps_make_the_chosen_calls_the_likelier_ones(tokenizer) -> None:
    model = attach_adapter(tiny_model(len(tokenizer)), LORA, functional_token_ids(tokenizer))
    encoded = [encode_pair(tokenizer, pair) for pair in PAIRS] * 4
    with torch.no_grad():
        before = orpo_losses(model, encoded, tokenizer.pad_token_id, weight=1.0)
    report, history = train_pairs(
        model,
        encoded,
        settings(epochs=10, batch_tokens=256),
        weight=1.0,
        seed=1,
        pad_id=tokenizer.pad_token_id,
    )
    with torch.no_grad():
        after = orpo_losses(model, encoded, tokenizer.pad_token_id, weight=1.0)
    assert report.steps == report.planned_steps == len(history) > 0
    assert after.odds_ratio < 0.5 * before.odds_ratio
    assert after.chosen_preferred == 1.0
