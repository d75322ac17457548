import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.nlu.call_format import (
    MalformedCallError,
    clean_utterance,
    grammar,
    parse_call,
    prompt,
    render,
)
from app.nlu.functions import END_TOKEN, FUNCTIONS, FUNCTIONS_BY_NAME

phrase_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=0, max_size=40
)


def test_render_writes_the_documented_form():
    completion = render(
        "create_event",
        {"title": "Zahnarzt", "date": "nächsten Freitag", "time": "halb drei", "duration": None},
    )
    assert completion == '<unused1>(" Zahnarzt"," nächsten Freitag"," halb drei","","","")<unused0>'


def test_a_phrase_of_only_quotes_and_line_breaks_is_rendered_as_none():
    completion = render("create_event", {"title": "Zahnarzt", "duration": '"\n"'})
    assert completion == '<unused1>(" Zahnarzt","","","","","")<unused0>'
    assert parse_call(completion).phrases["duration"] is None


def test_every_function_has_its_own_token_and_none_takes_no_arguments():
    tokens = [function.token for function in FUNCTIONS]
    assert len(set(tokens)) == len(tokens)
    assert END_TOKEN not in tokens
    assert render("none", {}) == "<unused4>()<unused0>"


@pytest.mark.parametrize("function", [function.name for function in FUNCTIONS])
@given(data=st.data())
@settings(max_examples=60)
def test_render_and_parse_are_inverse(function, data):
    spec = FUNCTIONS_BY_NAME[function]
    maybe_phrase = st.one_of(st.none(), phrase_text)
    phrases = {parameter.name: data.draw(maybe_phrase) for parameter in spec.parameters}
    try:
        completion = render(function, phrases)
    except ValueError:
        return  # longer than a phrase may be
    call = parse_call(completion)
    assert call.function == function
    for name, phrase in phrases.items():
        expected = clean_utterance(phrase) if phrase is not None else ""
        assert call.phrases[name] == (expected or None)


@given(st.text(max_size=120))
@settings(max_examples=400)
def test_parse_accepts_only_canonical_calls(raw):
    try:
        call = parse_call(raw)
    except MalformedCallError:
        return
    assert render(call.function, call.phrases) == raw.strip()


@given(
    st.sampled_from(
        [
            '<unused1>(" Zahnarzt"," morgen"," um 15 Uhr"," eine Stunde","","")<unused0>',
            '<unused2>(" dentist","")<unused0>',
            '<unused3>(" diese Woche","")<unused0>',
            "<unused4>()<unused0>",
        ]
    ),
    st.integers(min_value=0, max_value=200),
    st.sampled_from(['"', ",", "(", ")", " ", "<", "x", "\n", ""]),
)
@settings(max_examples=500)
def test_mutated_calls_are_refused_or_still_canonical(valid, position, replacement):
    index = position % len(valid)
    mutated = valid[:index] + replacement + valid[index + 1 :]
    try:
        call = parse_call(mutated)
    except MalformedCallError:
        return
    assert render(call.function, call.phrases) == mutated.strip()


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "<unused1>",
        '<unused1>(" a"," b"," c")<unused0>',  # one argument short
        '<unused3>(" heute")',  # no end token
        '<unused3>(" heute","")<unused0> und mehr',
        '<unused3>(" heute","")<unused0><unused0>',
        '<unused3>("heute")<unused0>',  # no leading space
        '<unused3>("  heute","")<unused0>',
        '<unused3>(" heute ","")<unused0>',
        '<unused3>(" heu\nte","")<unused0>',
        '<unused3>(" "heute"")<unused0>',
        "<unused9>()<unused0>",
        '<unused4>("")<unused0>',
        f'<unused3>(" {"x" * 121}")<unused0>',
    ],
)
def test_malformed_calls_are_refused(raw):
    with pytest.raises(MalformedCallError):
        parse_call(raw)


def test_prompt_removes_what_a_phrase_cannot_hold():
    assert prompt('Trag  "Zahnarzt"\nein') == "Query: Trag Zahnarzt ein\nCall:"


def test_grammar_names_every_function_token_and_compiles():
    from llama_cpp import LlamaGrammar

    text = grammar()
    for function in FUNCTIONS:
        assert f'"{function.token}"' in text
    LlamaGrammar.from_string(text, verbose=False)


def test_a_grammar_can_be_narrowed_to_some_functions():
    from llama_cpp import LlamaGrammar

    allowed = (FUNCTIONS_BY_NAME["list_events"], FUNCTIONS_BY_NAME["none"])
    text = grammar("Was steht morgen an", functions=allowed)
    for function in FUNCTIONS:
        assert (f'"{function.token}"' in text) == (function in allowed)
    LlamaGrammar.from_string(text, verbose=False)
    with pytest.raises(ValueError, match="at least one function"):
        grammar(functions=())


@pytest.mark.parametrize("function", [spec.name for spec in FUNCTIONS])
def test_the_described_style_names_functions_and_reads_back(function):
    phrases = {p.name: f"phrase {i}" for i, p in enumerate(FUNCTIONS_BY_NAME[function].parameters)}
    completion = render(function, phrases, "described")
    assert completion.startswith(f"{function}(")
    call = parse_call(completion, "described")
    assert (call.function, call.phrases) == (function, phrases)
    with pytest.raises(MalformedCallError):
        parse_call(completion)
    with pytest.raises(MalformedCallError):
        parse_call(render(function, phrases), "described")


def test_a_described_prompt_describes_every_function_and_its_grammar_compiles():
    from llama_cpp import LlamaGrammar

    text = prompt("Was steht morgen an", "described")
    assert text.endswith("Query: Was steht morgen an\nCall:")
    for function in FUNCTIONS:
        assert f"{function.name}(" in text and function.description in text
        for parameter in function.parameters:
            assert parameter.description in text
    rules = grammar("Was steht morgen an", style="described")
    assert '"list_events"' in rules and "<unused3>" not in rules
    LlamaGrammar.from_string(rules, verbose=False)


def test_prompt_turns_control_characters_and_line_separators_into_spaces():
    assert (
        prompt("Zahnarzt\x00morgen\x1b[1m\u2028um\x7f3") == "Query: Zahnarzt morgen [1m um 3\nCall:"
    )
