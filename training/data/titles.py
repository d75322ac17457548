"""Event titles: the hand-written list, titles composed from parts, and their held-out split.

A composed title fills a shape ("{head} with {person} at {place}", "{head} mit {person}
{place}", "{person's} {occasion}", "{kind} mit {person}") with parts from `[title_parts]` in
values_<lang>.toml; in German its gender is its head's. Half of the title draws (where a
template can say any title, i.e. no "at the …", "see the …" or to-do form) are composed, the
rest hand-written.

Held-out split: a seeded 15 % of every part list and of the hand-written titles (per group)
is never said in training. Only parts and titles that occur in no other title, part or
template can be held out, so a held-out word never reaches a training record by another road;
a composed training title that happens to say a held-out title ("coffee with Emma") is drawn
again. Held-out composed titles contain at least one held-out part.
"""

from __future__ import annotations

import hashlib
import random
import re
from dataclasses import dataclass, field

from training.data.vocabulary import (
    Title,
    TitleParts,
    Vocabulary,
    none_values,
    templates,
    vocabulary,
)

HELDOUT_SHARE = 0.15
COMPOSED_SHARE = 0.5
"""Share of the title draws that are composed, where a template admits composed titles."""
SPECIAL_VARIANTS = frozenset({"at", "see", "task"})
GENDER_VARIANTS = frozenset({"acc", "nom", "dat"})
GENDER_FILTERS = frozenset({"m", "f", "n"})
"""`{title:n}`: only titles of that German gender, said bare (after "ein zweistündiges")."""
_SLOT = re.compile(r"\{(head|occasion|kind|person|person's|place)\}")


def _possessive(person: str) -> str:
    return f"{person}'" if person.endswith("s") else f"{person}'s"


def _options(parts: TitleParts, slot: str) -> tuple[Title | str, ...]:
    if slot == "head":
        return parts.heads + parts.occasions
    if slot == "occasion":
        return parts.occasions
    if slot == "kind":
        return parts.kinds
    if slot in ("person", "person's"):
        return parts.people
    return parts.places


@dataclass(frozen=True)
class TitlePool:
    """The titles one set of records draws from."""

    listed: tuple[Title, ...]
    parts: TitleParts = field(default_factory=TitleParts)
    """What composed titles are made of (no shapes: no composed titles)."""
    required: TitleParts | None = None
    """Held-out pools: every composed title takes one of its parts from these."""
    avoid: re.Pattern[str] | None = None
    """Composed titles that match are drawn again (they would say a held-out title)."""
    composed_share: float = COMPOSED_SHARE

    def draw(self, rng: random.Random, variants: set[str | None]) -> Title:
        """A title for a template whose `{title:…}` placeholders have `variants`."""
        parts = self.parts
        gendered = all(head.gender for head in parts.heads + parts.occasions + parts.kinds)
        genders = {variant for variant in variants if variant in GENDER_FILTERS}
        if (
            self.parts.shapes
            and not variants & SPECIAL_VARIANTS
            and (gendered or not variants & (GENDER_VARIANTS | GENDER_FILTERS))
            and rng.random() < self.composed_share
        ):
            for _ in range(50):
                title = self.compose(rng)
                if title is None:
                    break
                if genders and title.gender not in genders:
                    continue
                if self.avoid is None or not self.avoid.search(title.text):
                    return title
        candidates = [
            title
            for title in self.listed
            if title.task == ("task" in variants)
            and ("at" not in variants or title.at)
            and ("see" not in variants or title.see)
            and (not variants & GENDER_VARIANTS or title.gender)
            and (not genders or title.gender in genders)
        ]
        return rng.choice(candidates)

    def compose(self, rng: random.Random) -> Title | None:
        """One composed title (None when a held-out pool has no part for the drawn shape)."""
        shapes = [pattern for pattern, weight in self.parts.shapes for _ in range(weight)]
        pattern = rng.choice(shapes)
        slots = _SLOT.findall(pattern)
        forced = -1
        if self.required is not None:
            required = self.required
            possible = [i for i, slot in enumerate(slots) if _options(required, slot)]
            if not possible:
                return None
            forced = rng.choice(possible)
        chosen: list[str] = []
        gender = ""
        for index, slot in enumerate(slots):
            source = self.required if index == forced and self.required else self.parts
            part = rng.choice(_options(source, slot))
            if isinstance(part, Title):
                gender = part.gender
                chosen.append(part.text)
            else:
                chosen.append(_possessive(part) if slot == "person's" else part)
        pieces = iter(chosen)
        text = _SLOT.sub(lambda _: next(pieces), pattern)
        return Title(text=text, gender=gender)


def default_pool(vocab: Vocabulary) -> TitlePool:
    """Every title and part, nothing held out (for rendering tests and tools)."""
    return TitlePool(vocab.titles, vocab.title_parts)


@dataclass(frozen=True)
class TitleSplit:
    train: TitlePool
    heldout: TitlePool
    pattern: re.Pattern[str]
    """Matches any held-out title or part (case-insensitive, whole words)."""
    heldout_parts: dict[str, tuple[str, ...]]
    """Part list name → its held-out parts."""


def _ranked(seed: int, keys: list[str]) -> list[str]:
    return sorted(keys, key=lambda key: hashlib.sha256(f"{seed}|{key}".encode()).hexdigest())


def words_pattern(texts: list[str]) -> re.Pattern[str]:
    """Any of `texts` as whole words, case-insensitive (never matches when `texts` is empty)."""
    if not texts:
        return re.compile(r"(?!x)x")
    alternatives = "|".join(re.escape(text) for text in sorted(texts, key=lambda t: (-len(t), t)))
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def _filled(template: str, values: dict[str, tuple[str, ...]]) -> list[str]:
    """Every way an out-of-domain template can be said ("Book me a flight to Chicago.")."""
    said = [template]
    for name in dict.fromkeys(_NONE_PLACEHOLDER.findall(template)):
        said = [text.replace(f"{{{name}}}", value) for text in said for value in values[name]]
    return said


_NONE_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _others_say(language: str, vocab: Vocabulary) -> str:
    """Every title, part and template text of the language (out-of-domain templates as they
    can be said), one a line."""
    texts = [title.text for title in vocab.titles]
    for texts_of_list in vocab.title_parts.lists().values():
        texts += list(texts_of_list)
    for function, group in templates(language).items():
        if function != "none":
            texts += [template.text for template in group]
    values = none_values(language)
    for template in templates(language)["none"]:
        texts += _filled(template.text, values)
    for options in values.values():
        texts += list(options)
    return "\n".join(texts)


def split_titles(seed: int, language: str) -> TitleSplit:
    """(train, held-out) pools: a fixed share of each part list and of the hand-written titles
    (of those with a "beim …"/"at the …" form, the to-dos and the others), chosen among those
    said nowhere else by a seeded hash."""
    vocab = vocabulary(language)
    corpus = _others_say(language, vocab)

    def alone(text: str) -> bool:
        return len(words_pattern([text]).findall(corpus)) == 1

    def held_out(keys_and_texts: list[tuple[str, str]], total: int) -> set[str]:
        eligible = [key for key, text in keys_and_texts if alone(text)]
        return set(_ranked(seed, eligible)[: max(1, round(total * HELDOUT_SHARE))])

    titles = vocab.titles
    held_titles: set[str] = set()
    groups = (
        [t for t in titles if t.at],
        [t for t in titles if t.task],
        [t for t in titles if not t.at and not t.task],
    )
    for group in groups:
        pairs = [(f"{language}|{title.text}", title.text) for title in group]
        held_titles |= held_out(pairs, len(group))

    held_parts: dict[str, tuple[str, ...]] = {}
    for name, texts in vocab.title_parts.lists().items():
        pairs = [(f"{language}|{name}|{text}", text) for text in texts]
        held = held_out(pairs, len(texts))
        held_parts[name] = tuple(text for key, text in pairs if key in held)

    parts = vocab.title_parts

    def keep(heads: tuple[Title, ...], name: str, heldout: bool) -> tuple[Title, ...]:
        return tuple(head for head in heads if (head.text in held_parts[name]) == heldout)

    def keep_texts(texts: tuple[str, ...], name: str, heldout: bool) -> tuple[str, ...]:
        return tuple(text for text in texts if (text in held_parts[name]) == heldout)

    def subset(heldout: bool) -> TitleParts:
        return TitleParts(
            shapes=parts.shapes,
            heads=keep(parts.heads, "heads", heldout),
            occasions=keep(parts.occasions, "occasions", heldout),
            people=keep_texts(parts.people, "people", heldout),
            places=keep_texts(parts.places, "places", heldout),
            kinds=() if heldout else parts.kinds,
        )

    heldout_titles = [t for t in titles if f"{language}|{t.text}" in held_titles]
    pattern = words_pattern(
        [title.text for title in heldout_titles]
        + [text for texts in held_parts.values() for text in texts]
    )
    train = TitlePool(
        tuple(t for t in titles if f"{language}|{t.text}" not in held_titles),
        subset(heldout=False),
        avoid=pattern,
    )
    heldout = TitlePool(tuple(heldout_titles), parts, required=subset(heldout=True))
    return TitleSplit(train, heldout, pattern, held_parts)
