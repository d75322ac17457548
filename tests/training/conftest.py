from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(scope="module")
def tokenizer() -> Any:
    """The word-level tokenizer of `tiny_gemma` (the training extra must be installed)."""
    pytest.importorskip("torch", reason="the training extra is not installed")
    pytest.importorskip("transformers", reason="the training extra is not installed")
    from tests.training.tiny_gemma import word_tokenizer

    return word_tokenizer()
