"""Word errors as the benchmarks count them: raw (case and punctuation removed) and
normalized (numerals written as words of the recording's language as well)."""

from __future__ import annotations

import pytest

from app.speech.evaluation import normalize, word_errors


def test_raw_words_ignore_case_and_punctuation_but_not_numerals() -> None:
    assert normalize("Seven of Clubs!") == ["seven", "of", "clubs"]
    assert word_errors("seven of clubs", "7 of clubs.") == (1, 3)


@pytest.mark.parametrize(
    ("language", "reference", "hypothesis"),
    [
        ("en", "seven of clubs", "7 of clubs."),
        ("en", "lag behind by twenty five to thirty years", "lag behind by 25 to 30 years"),
        ("en", "twentieth century research", "20th century research"),
        ("en", "built in nineteen sixty-three", "built in 1963"),
        ("de", "um vierzehn Uhr", "um 14 Uhr"),
        ("de", "am dritte Mai", "am 3. Mai"),
        (
            "de",
            "nachdem der Damm neunzehnhundertdreiundsechzig erbaut war",
            "nachdem der Damm 1963 erbaut war",
        ),
    ],
)
def test_normalized_words_read_numerals_as_words(
    language: str, reference: str, hypothesis: str
) -> None:
    assert word_errors(reference, hypothesis, numbers_in=language)[0] == 0
    assert word_errors(reference, hypothesis)[0] > 0


def test_a_wrong_number_stays_wrong_when_normalized() -> None:
    assert word_errors("um vierzehn Uhr", "um 15 Uhr", numbers_in="de") == (1, 3)
    assert word_errors("at 3 pm", "at 4 p.m.", numbers_in="en") == (1, 3)
