"""Training code on a tiny randomly initialised Gemma 3 and a word-level tokenizer (seconds)."""

from __future__ import annotations

import random

import pytest

torch = pytest.importorskip("torch", reason="the training extra is not installed")
transformers = pytest.importorskip("transformers", reason="the training extra is not installed")
pytest.importorskip("peft", reason="the training extra is not installed")

from app.nlu.call_format import prompt  # noqa: E402
from app.nlu.functions import END_TOKEN, FUNCTIONAL_TOKENS  # noqa: E402
from tests.training.tiny_gemma import EXAMPLES, LORA, settings, tiny_model  # noqa: E402
from training.train import (  # noqa: E402
    IGNORED_LABEL,
    EncodedExample,
    attach_adapter,
    collate,
    completion_loss,
    encode,
    functional_token_ids,
    length_batches,
    train_model,
)


def test_encode_puts_bos_and_prompt_before_the_completion(tokenizer) -> None:
    encoded = encode(tokenizer, EXAMPLES[0])
    prompt_ids = tokenizer(prompt(EXAMPLES[0].text), add_special_tokens=False)["input_ids"]
    assert encoded.input_ids[0] == tokenizer.bos_token_id
    assert list(encoded.input_ids[1 : encoded.prompt_length]) == prompt_ids
    completion = tokenizer.convert_ids_to_tokens(list(encoded.input_ids[encoded.prompt_length :]))
    assert completion[0] == "<unused1>"
    assert completion[-1] == END_TOKEN


def test_functional_tokens_are_found(tokenizer) -> None:
    ids = functional_token_ids(tokenizer)
    assert tokenizer.convert_ids_to_tokens(ids) == list(FUNCTIONAL_TOKENS)


def test_batches_hold_every_example_once_within_the_token_budget() -> None:
    rng = random.Random(3)
    examples = [
        EncodedExample(tuple(range(rng.randint(5, 40))), prompt_length=3) for _ in range(200)
    ]
    batches = length_batches(examples, 120, random.Random(1))
    flat = [example for batch in batches for example in batch]
    assert sorted(map(id, flat)) == sorted(map(id, examples))
    for batch in batches:
        width = max(len(example.input_ids) for example in batch)
        assert width * len(batch) <= 120 or len(batch) == 1
    padding = sum(
        max(len(e.input_ids) for e in batch) * len(batch) - sum(len(e.input_ids) for e in batch)
        for batch in batches
    )
    assert padding < 0.05 * sum(len(e.input_ids) for e in examples)
    again = length_batches(examples, 120, random.Random(1))
    assert [[e.input_ids for e in b] for b in again] == [[e.input_ids for e in b] for b in batches]


def test_collate_scores_only_the_completion() -> None:
    short = EncodedExample((2, 10, 11, 6), prompt_length=2)
    long = EncodedExample((2, 10, 11, 12, 7, 6), prompt_length=3)
    batch = collate([short, long], pad_id=0)
    assert batch["input_ids"].tolist() == [[2, 10, 11, 6, 0, 0], [2, 10, 11, 12, 7, 6]]
    assert batch["attention_mask"].tolist() == [[1, 1, 1, 1, 0, 0], [1, 1, 1, 1, 1, 1]]
    ignored = IGNORED_LABEL
    assert batch["labels"].tolist() == [
        [ignored, ignored, 11, 6, ignored, ignored],
        [ignored, ignored, ignored, 12, 7, 6],
    ]


def test_completion_loss_equals_the_models_own_loss_and_gradients(tokenizer) -> None:
    model = attach_adapter(tiny_model(len(tokenizer)), LORA, functional_token_ids(tokenizer))
    rows = next(p for n, p in model.named_parameters() if "trainable_tokens" in n)
    lora_b = next(p for n, p in model.named_parameters() if "lora_B" in n)
    with torch.no_grad():
        rows.add_(torch.randn_like(rows))
        lora_b.add_(0.1 * torch.randn_like(lora_b))
    batch = collate([encode(tokenizer, example) for example in EXAMPLES], tokenizer.pad_token_id)
    ours = completion_loss(model, batch)
    ours.backward()
    our_gradients = (rows.grad.clone(), lora_b.grad.clone())
    model.zero_grad()
    theirs = model(**batch).loss
    theirs.backward()
    assert torch.allclose(ours, theirs, atol=1e-5)
    assert torch.allclose(our_gradients[0], rows.grad, atol=1e-5)
    assert torch.allclose(our_gradients[1], lora_b.grad, atol=1e-5)
    assert rows.grad.abs().sum() > 0


def test_training_lowers_the_loss_and_trains_only_adapter_and_token_rows(tokenizer) -> None:
    token_ids = functional_token_ids(tokenizer)
    model = attach_adapter(tiny_model(len(tokenizer)), LORA, token_ids)
    embedding = model.get_base_model().model.embed_tokens
    before = embedding.weight.detach().clone() if hasattr(embedding, "weight") else None
    trainable = [name for name, p in model.named_parameters() if p.requires_grad]
    assert trainable and all("lora_" in n or "trainable_tokens" in n for n in trainable)
    encoded = [encode(tokenizer, example) for example in EXAMPLES] * 8
    batch = collate(encoded[:5], tokenizer.pad_token_id)
    with torch.no_grad():
        start_loss = float(completion_loss(model, batch))
    report = train_model(model, encoded, settings(epochs=12), seed=1, pad_id=tokenizer.pad_token_id)
    with torch.no_grad():
        end_loss = float(completion_loss(model, batch))
    assert report.steps == report.planned_steps > 0
    assert end_loss < 0.7 * start_loss
    merged = embedding.weight.detach() if before is not None else None
    if before is not None and merged is not None:
        other = [i for i in range(len(tokenizer)) if i not in token_ids]
        assert torch.equal(before[other], merged[other])
    rows = next(p for n, p in model.named_parameters() if "trainable_tokens" in n)
    assert rows.shape[0] == len(FUNCTIONAL_TOKENS)


def test_the_time_budget_cuts_the_planned_steps(tokenizer) -> None:
    model = attach_adapter(tiny_model(len(tokenizer)), LORA, functional_token_ids(tokenizer))
    encoded = [encode(tokenizer, example) for example in EXAMPLES] * 40
    report = train_model(
        model,
        encoded,
        settings(epochs=5, batch_tokens=40, time_budget_minutes=1e-4, calibration_steps=2),
        seed=1,
        pad_id=tokenizer.pad_token_id,
    )
    assert report.steps == 2 < report.planned_steps


def test_the_embedding_can_be_trained_as_the_app_quantizes_it(tokenizer) -> None:
    import gguf
    import numpy as np

    from training.train import requantize_embedding

    model = tiny_model(len(tokenizer))
    before = model.get_input_embeddings().weight.detach().clone()
    requantize_embedding(model, "Q4_0")
    after = model.get_input_embeddings().weight.detach()
    kind = gguf.GGMLQuantizationType.Q4_0
    expected = gguf.quants.dequantize(gguf.quants.quantize(before.numpy(), kind), kind)
    assert np.array_equal(after.numpy(), expected)
    assert not torch.equal(before, after)
    assert torch.equal(model.get_output_embeddings().weight.detach(), after)
