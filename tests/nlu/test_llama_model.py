"""The shipped call model end to end: `ensure_model()`, llama.cpp with the call grammar, and
`parse_call` on German and English commands."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.nlu.call_format import grammar, parse_call, prompt
from app.nlu.functions import FUNCTIONS
from app.nlu.llama_model import LlamaCallModel, _Candidates, _GrammarSampler, load_call_model
from app.nlu.model_store import DEFAULT_MODELS_DIR, MANIFEST_FILE

pytestmark = pytest.mark.skipif(
    not (DEFAULT_MODELS_DIR / MANIFEST_FILE).is_file(),
    reason="models/ has no trained deltas yet (run ./scripts/train)",
)

COMMANDS = [
    (
        "Trag mir für nächsten Freitag um halb drei den Zahnarzt ein",
        "create_event",
        {"title": "Zahnarzt", "date": "nächsten Freitag", "time": "halb drei"},
    ),
    (
        "Erstelle morgen um 15 Uhr einen Termin Friseur für eine Stunde",
        "create_event",
        {"title": "Friseur", "date": "morgen", "time": "15 Uhr", "duration": "eine Stunde"},
    ),
    ("Was steht nächste Woche an?", "list_events", {"range": "nächste Woche"}),
    ("Lösche den Termin Yoga am Montag", "delete_event", {"title": "Yoga", "date": "Montag"}),
    ("Wie wird das Wetter morgen?", "none", {}),
    (
        "Add a meeting with Anna tomorrow at 3 pm",
        "create_event",
        {"title": "meeting with Anna", "date": "tomorrow", "time": "3 pm"},
    ),
    ("What's on my calendar tomorrow?", "list_events", {"range": "tomorrow"}),
    ("Cancel my dentist appointment on Friday", "delete_event", {"title": "dentist"}),
    ("Play some jazz music", "none", {}),
]


@pytest.fixture(scope="module")
def model() -> Iterator[LlamaCallModel]:
    loaded = load_call_model()
    yield loaded
    loaded.close()


@pytest.mark.parametrize(("text", "function", "phrases"), COMMANDS)
def test_commands_become_the_right_calls(model, text, function, phrases) -> None:
    completion = model.complete(prompt(text))
    call = parse_call(completion.text)
    assert call.function == function, completion.text
    for name, phrase in phrases.items():
        got = call.phrases[name] or ""
        assert phrase.casefold() in got.casefold(), (name, completion.text)
    assert completion.completion_tokens <= 40
    assert completion.prompt_tokens == len(model.tokenize(prompt(text)))


def test_outputs_stay_in_the_grammar_for_odd_input(model) -> None:
    for text in [
        "",
        "???",
        "a " * 60,
        "Termin Termin Termin am am am um um um",
        "日本語のテキスト",
    ]:
        completion = model.complete(prompt(text))
        parse_call(completion.text)


@pytest.mark.parametrize(
    "text", ["Zahnarzt\x00 morgen um 3", "Termin \x1b[31m morgen\x07", "Yoga\u2028am Montag"]
)
def test_control_characters_in_the_utterance_leave_the_copy_grammar_valid(model, text) -> None:
    # A NUL once ended the grammar's text early: llama.cpp refused it and printed it on stderr.
    completion = model.complete(prompt(text), copy_from=text)
    parse_call(completion.text)


@given(
    st.text(
        alphabet=st.one_of(st.characters(), st.sampled_from('\x00\x1b\x7f\u2028"\\ ')),
        max_size=40,
    )
)
@settings(max_examples=200, deadline=None, derandomize=True)
def test_llama_cpp_accepts_the_copy_grammar_of_any_utterance(model, utterance) -> None:
    # llama.cpp parses the grammar in C; a grammar it refuses fails every call on that text.
    sampler = _GrammarSampler(model._llm, grammar(utterance), model._candidates)
    sampler.close()


def test_repeated_prompts_give_the_same_completion(model) -> None:
    text = prompt("Trag morgen um 9 Uhr Teamrunde ein")
    first = model.complete(text)
    model.complete(prompt("What's on my calendar tomorrow?"))
    assert model.complete(text).text == first.text


def test_prompt_lookup_drafts_change_nothing_but_speed(model) -> None:
    drafting = LlamaCallModel(model.model_path, threads=2, draft_tokens=4)
    try:
        for text, _, _ in COMMANDS:
            assert drafting.complete(prompt(text)).text == model.complete(prompt(text)).text
    finally:
        drafting.close()


def _admits(model: LlamaCallModel, gbnf: str, completion: str) -> bool:
    """Whether llama.cpp's grammar sampler lets `completion` through, token by token."""
    llm = model._llm
    sampler = _GrammarSampler(llm, gbnf, _Candidates(llm.n_vocab()))
    try:
        for token in llm.tokenize(completion.encode(), add_bos=False, special=True):
            if not sampler.allows(token):
                return False
            sampler.accept(token)
        return True
    finally:
        sampler.close()


COPY_TEXT = "Um, put lunch with Tom at Luigi's on Friday's list, at 7 p.m. (the usual)."


@pytest.mark.parametrize(
    "completion",
    [
        '<unused1>(" lunch with Tom at Luigi\'s"," Friday"," 7 p.m.","","","")<unused0>',
        '<unused1>(" lunch with Tom at Luigi"," Friday\'s"," 7 p.m","","","")<unused0>',
        '<unused1>(" Um, put"," list,"," at 7"," the usual","","")<unused0>',
        '<unused3>(" the usual).","")<unused0>',
        "<unused4>()<unused0>",
    ],
)
def test_the_copy_grammar_admits_runs_of_the_utterances_words(model, completion) -> None:
    assert _admits(model, grammar(COPY_TEXT), completion)
    assert _admits(model, grammar(), completion)


@pytest.mark.parametrize(
    "completion",
    [
        '<unused1>(" lunch with Anna"," Friday","","","","")<unused0>',
        '<unused1>(" unch with Tom","","","","","")<unused0>',
        '<unused1>(" Tom Luigi\'s","","","","","")<unused0>',
        '<unused1>(" tomorrow","","","","","")<unused0>',
        '<unused1>(" lunch  with","","","","","")<unused0>',
        '<unused1>(" Friday,","","","","","")<unused0>',
    ],
)
def test_the_copy_grammar_refuses_words_the_utterance_does_not_have(model, completion) -> None:
    assert not _admits(model, grammar(COPY_TEXT), completion)


def test_with_copy_from_every_phrase_is_copied(model) -> None:
    for text in [
        "I need to file my taxes today around 7 pm, put it in my calendar.",
        "Trag mir für nächsten Freitag um halb drei den Zahnarzt ein",
        "brunch samstag morgen mit chris und anna und andre",
        "",
        "Termin Termin Termin am am am um um um",
    ]:
        call = parse_call(model.complete(prompt(text), copy_from=text).text)
        for phrase in call.phrases.values():
            assert phrase is None or phrase in text, (text, call.text)


@pytest.mark.parametrize("text", ["", 'Trag \\ "Zahnarzt" ein', "( ) ¿ ' ,", "a " * 60, "日本語"])
def test_the_copy_grammar_compiles_for_any_utterance(model, text) -> None:
    _GrammarSampler(model._llm, grammar(text), _Candidates(model._llm.n_vocab())).close()


@pytest.mark.parametrize(("text", "first_choice"), [(c[0], c[1]) for c in COMMANDS])
def test_narrowed_functions_give_the_best_call_of_another_function(
    model, text, first_choice
) -> None:
    others = tuple(f for f in FUNCTIONS if f.name != first_choice)
    call = parse_call(model.complete(prompt(text), copy_from=text, functions=others).text)
    assert call.function != first_choice
    for phrase in call.phrases.values():
        assert phrase is None or phrase in text
    assert parse_call(model.complete(prompt(text), copy_from=text).text).function == first_choice


def test_a_call_whose_end_is_spelt_in_plain_tokens_ends_there(model, monkeypatch) -> None:
    """The grammar's literal end admits "<unused0>" spelt as "<", "un", "used", "0", ">" as
    well as the end token; run F once wrote it so, and decoding went on past a complete call
    ("the call grammar admits no next token")."""
    utterance = "Add a meeting with Anna tomorrow at 3 pm"
    body = '<unused1>(" meeting with Anna"," tomorrow"," 3 pm","","","")'
    plain_end = model._llm.tokenize(b"<unused0>", add_bos=False, special=False)
    assert len(plain_end) > 1 and model._end_token not in plain_end
    script = iter(model._llm.tokenize(body.encode(), add_bos=False, special=True) + plain_end)

    def scripted(row: int) -> int:
        return next(script)  # StopIteration: decoding asked for a token after the call

    monkeypatch.setattr(model, "_choose", scripted)
    completion = model.complete(prompt(utterance), copy_from=utterance)
    call = parse_call(completion.text)
    assert call.function == "create_event"
    assert call.phrases["title"] == "meeting with Anna"
    assert completion.completion_tokens == len(
        model._llm.tokenize(body.encode(), add_bos=False, special=True)
    ) + len(plain_end)
