"""`python -m training.data --out build/training`: write the training and evaluation files."""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from app.nlu.call_format import render
from training.data.botframework import botframework_records
from training.data.generate import (
    GROUP_SHARES,
    call_phrases,
    normalized,
    split_templates,
    template_records,
)
from training.data.massive import (
    CALENDAR_FILE,
    LOCALES,
    OTHER_FILE,
    massive_dir,
    massive_records,
    other_intent_records,
    read_rows,
)
from training.data.said_values import said_value_records
from training.data.verify import Verifier
from training.data.vocabulary import LANGUAGES

REPO_ROOT = Path(__file__).resolve().parents[2]
ASR_FILE = Path(__file__).resolve().parent / "asr_records.jsonl"
NONE_SHARE = 0.09
"""Share of train.jsonl from the out-of-domain templates (near misses, the app's own words)."""
OTHER_SHARE = 0.27
"""Share of train.jsonl from MASSIVE's other intents (`none`), split between the languages in
proportion to their rows."""
MASSIVE_SHARE = 0.25
"""At most this share of train.jsonl from MASSIVE's calendar rows (repeats included)."""
MASSIVE_REPEAT = 2
"""Each MASSIVE calendar training row is in train.jsonl this many times: they are the only
calendar requests written by people, and few."""
ASR_SHARE = 0.05
"""At most this share of train.jsonl from the committed ASR records."""
BOTFRAMEWORK_NONE_SHARE = 0.03
"""At most this share of train.jsonl from the Bot Framework's other skills (email, weather,
places, restaurants) as none."""
BOTFRAMEWORK_CALENDAR_SHARE = 0.02
"""At most this share of train.jsonl from the Bot Framework's move and find rows (about 300:
all of them, once, at 28,000 records)."""
"""At most this share of train.jsonl from the committed ASR records."""
HELDOUT_COUNTS = {
    "create_event": 100,
    "create_event_recurring": 50,
    "create_event_reminder": 40,
    "delete_event": 50,
    "list_events": 50,
    "list_events_find": 40,
    "move_event": 80,
    "none": 60,
}
"""Held-out records per language and template group (`create_event_bounded` has none: its
literal ends are not in the generator's values; `said_values/` holds out ends of series)."""


def shared_dir() -> Path:
    return Path(os.environ.get("VOICE_CALENDAR_SHARED", REPO_ROOT.parent / "shared"))


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")


def read_asr_records() -> list[dict[str, Any]]:
    """The committed ASR records, their calls rendered for today's function table (a function
    may have gained parameters since they were made)."""
    if not ASR_FILE.exists():
        return []
    with ASR_FILE.open(encoding="utf-8") as handle:
        records = [json.loads(line) for line in handle if line.strip()]
    for record in records:
        phrases = call_phrases(record["function"], record.get("phrases") or {})
        record["phrases"] = phrases
        record["completion"] = render(record["function"], phrases)
    return records


def _split_counts(total: int, shares: dict[str, float]) -> dict[str, int]:
    counts = {name: int(total * share) for name, share in shares.items()}
    first = next(iter(shares))
    counts[first] += total - sum(counts.values())
    return counts


def dev_texts(massive_path: Path) -> frozenset[str]:
    """Every MASSIVE dev text (calendar and other intents, both languages), normalized."""
    texts: set[str] = set()
    for locale in LOCALES.values():
        for pattern in (CALENDAR_FILE, OTHER_FILE):
            path = massive_path / pattern.format(locale=locale, partition="dev")
            if path.exists():
                texts |= {normalized(row["utt"]) for row in read_rows(path)}
    return frozenset(texts)


def _massive_calendar_train(
    massive_path: Path,
    seed: int,
    cap: int,
    repeat: int,
    counts: Counter[str],
    skip_texts: frozenset[str],
) -> list[dict[str, Any]]:
    """Both languages' MASSIVE calendar train rows, each `repeat` times, at most `cap` in all
    (half per language)."""
    records: list[dict[str, Any]] = []
    for language, locale in LOCALES.items():
        path = massive_path / CALENDAR_FILE.format(locale=locale, partition="train")
        if not path.exists():
            continue
        rows = massive_records(
            path,
            language,
            f"massive-{language}-train",
            seed,
            counts,
            for_training=True,
            skip_texts=skip_texts,
        )
        random.Random(seed).shuffle(rows)
        rows = rows[: cap // 2 // repeat]
        records += rows
        records += [
            record | {"id": f"{record['id']}-repeat{copy}"}
            for copy in range(2, repeat + 1)
            for record in rows
        ]
    return records


def _other_intents_train(
    massive_path: Path, seed: int, total: int, counts: Counter[str], skip_texts: frozenset[str]
) -> list[dict[str, Any]]:
    """`total` other-intent rows, split between the languages in proportion to their rows (the
    same share of each)."""
    paths = {
        language: path
        for language, locale in sorted(LOCALES.items())
        if (path := massive_path / OTHER_FILE.format(locale=locale, partition="train")).exists()
    }
    available = {language: len(read_rows(path)) for language, path in paths.items()}
    records: list[dict[str, Any]] = []
    left = total
    for index, (language, path) in enumerate(paths.items()):
        share = (
            left
            if index == len(paths) - 1
            else round(total * available[language] / sum(available.values()))
        )
        left -= share
        records += other_intent_records(
            path,
            language,
            f"massive-other-{language}-train",
            seed,
            counts,
            total=share,
            skip_texts=skip_texts,
        )
    return records


def _write_dev_sets(out: Path, massive_path: Path, seed: int, counts: Counter[str]) -> None:
    for language, locale in LOCALES.items():
        path = massive_path / CALENDAR_FILE.format(locale=locale, partition="dev")
        if path.exists():
            write_jsonl(
                out / f"massive_dev_{language}.jsonl",
                massive_records(path, language, f"massive-{language}-dev", seed, counts),
            )
        path = massive_path / OTHER_FILE.format(locale=locale, partition="dev")
        if path.exists():
            write_jsonl(
                out / f"massive_other_dev_{language}.jsonl",
                other_intent_records(path, language, f"massive-other-{language}-dev", seed, counts),
            )


def build(
    out: Path,
    seed: int,
    train_size: int,
    massive_share: float,
    verify: bool,
    *,
    other_share: float = OTHER_SHARE,
    massive_repeat: int = MASSIVE_REPEAT,
) -> dict[str, Any]:
    started = time.perf_counter()
    split = split_templates(seed)
    verifier = Verifier(enabled=verify)
    massive_path = massive_dir(shared_dir())
    in_dev = dev_texts(massive_path)
    massive_counts: Counter[str] = Counter()
    massive_train = _massive_calendar_train(
        massive_path,
        seed,
        int(train_size * massive_share),
        massive_repeat,
        massive_counts,
        in_dev,
    )
    other_counts: Counter[str] = Counter()
    other_train = _other_intents_train(
        massive_path, seed, round(train_size * other_share), other_counts, in_dev
    )
    heldout_ids = {t.id for group in split.heldout.values() for t in group}
    asr_all = read_asr_records()
    asr = [
        record
        for record in asr_all
        if record["template"] not in heldout_ids
        and not split.heldout_title_in(record["language"], record["spoken_text"])
        and normalized(record["text"]) not in in_dev
    ]
    random.Random(seed).shuffle(asr)
    asr = asr[: int(train_size * ASR_SHARE)]
    bot_counts: Counter[str] = Counter()
    bot = botframework_records(shared_dir() / "data" / "botframework", seed, bot_counts, in_dev)
    random.Random(seed).shuffle(bot.none)
    random.Random(seed).shuffle(bot.train)
    bot_train = (
        bot.train[: int(train_size * BOTFRAMEWORK_CALENDAR_SHARE)]
        + bot.none[: int(train_size * BOTFRAMEWORK_NONE_SHARE)]
    )
    elsewhere = massive_train + other_train + asr + bot_train
    none_total = round(train_size * NONE_SHARE)
    calendar_total = max(0, train_size - none_total - len(elsewhere))
    calendar_elsewhere = Counter(
        record["language"] for record in elsewhere if record["function"] != "none"
    )
    german_calendar = min(
        calendar_total,
        max(0, (calendar_total + calendar_elsewhere.total()) // 2 - calendar_elsewhere["de"]),
    )
    counts: dict[tuple[str, str], int] = {}
    for language, total in (("de", german_calendar), ("en", calendar_total - german_calendar)):
        for group, count in _split_counts(total, GROUP_SHARES).items():
            counts[language, group] = count
    counts["de", "none"] = none_total // 2
    counts["en", "none"] = none_total - none_total // 2

    rng = random.Random(seed)
    seen: set[str] = {record["text"] for record in elsewhere}
    train = template_records(
        counts=counts,
        pool=split.train,
        titles=split.train_titles,
        rng=rng,
        verifier=verifier,
        id_prefix="train",
        seen_texts=seen,
        forbidden=in_dev,
    )
    train += elsewhere
    rng.shuffle(train)

    heldout_counts = {
        (language, group): count
        for language in LANGUAGES
        for group, count in HELDOUT_COUNTS.items()
    }
    heldout = template_records(
        counts=heldout_counts,
        pool=split.heldout,
        titles=split.heldout_titles,
        rng=random.Random(seed + 1),
        verifier=verifier,
        id_prefix="heldout",
        seen_texts=seen,
    )

    write_jsonl(out / "train.jsonl", train)
    write_jsonl(out / "heldout.jsonl", heldout)
    dev_counts: Counter[str] = Counter()
    _write_dev_sets(out, massive_path, seed, dev_counts)
    for language in LOCALES:
        write_jsonl(out / f"said_values_{language}.jsonl", said_value_records(language))
    write_jsonl(out / "botframework_dev.jsonl", bot.dev)
    summary = {
        "seed": seed,
        "train": dict(
            sorted(Counter(f"{r['source']}:{r['language']}:{r['function']}" for r in train).items())
        ),
        "train_total": len(train),
        "none_share": round(sum(r["function"] == "none" for r in train) / max(1, len(train)), 3),
        "shares": {
            "none_templates": NONE_SHARE,
            "massive_other_intents": other_share,
            "massive_calendar_at_most": massive_share,
            "massive_calendar_repeat": massive_repeat,
            "asr_at_most": ASR_SHARE,
            "botframework_none_at_most": BOTFRAMEWORK_NONE_SHARE,
            "botframework_calendar_at_most": BOTFRAMEWORK_CALENDAR_SHARE,
        },
        "train_other_intents": dict(sorted(other_counts.items())),
        "heldout_total": len(heldout),
        "heldout": dict(
            sorted(Counter(f"{r['language']}:{r['function']}" for r in heldout).items())
        ),
        "heldout_templates": sum(len(group) for group in split.heldout.values()),
        "train_templates": sum(len(group) for group in split.train.values()),
        "dev_texts": len(in_dev),
        "massive_train_conversion": dict(sorted(massive_counts.items())),
        "botframework_conversion": dict(sorted(bot_counts.items())),
        "massive_dev_conversion": dict(sorted(dev_counts.items())),
        "asr_records": len(asr),
        "asr_records_dropped_heldout_template_title_or_dev": len(asr_all)
        - len([r for r in asr_all if r in asr]),
        "verification": {"resolver_available": verifier.available} | verifier.stats.as_json(),
        "seconds": round(time.perf_counter() - started, 1),
    }
    (out / "summary.json").write_text(
        json.dumps(summary, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training.data", description=__doc__)
    parser.add_argument("--out", type=Path, default=Path("build/training"))
    parser.add_argument("--seed", type=int, default=20261121)
    parser.add_argument("--train-size", type=int, default=6000)
    parser.add_argument(
        "--massive-share",
        type=float,
        default=MASSIVE_SHARE,
        help="at most this share of train.jsonl from MASSIVE's calendar train rows, repeats "
        f"included (default {MASSIVE_SHARE})",
    )
    parser.add_argument(
        "--other-share",
        type=float,
        default=OTHER_SHARE,
        help=f"share of train.jsonl from MASSIVE's other intents as none (default {OTHER_SHARE})",
    )
    parser.add_argument(
        "--massive-repeat",
        type=int,
        default=MASSIVE_REPEAT,
        help=f"times each MASSIVE calendar row is trained on per epoch (default {MASSIVE_REPEAT})",
    )
    parser.add_argument(
        "--no-verify",
        action="store_true",
        help="skip checking generated values with app.temporal",
    )
    arguments = parser.parse_args(argv)
    summary = build(
        arguments.out,
        arguments.seed,
        arguments.train_size,
        arguments.massive_share,
        not arguments.no_verify,
        other_share=arguments.other_share,
        massive_repeat=arguments.massive_repeat,
    )
    verification = summary["verification"]
    print(
        f"train {summary['train_total']} (none {summary['none_share']:.0%}), "
        f"heldout {summary['heldout_total']}, asr {summary['asr_records']}, "
        f"{summary['seconds']} s → {arguments.out}",
        file=sys.stderr,
    )
    if verification["resolver_available"]:
        print(f"verified per kind: {verification['checked']}", file=sys.stderr)
        print(
            f"dropped (resolver disagrees) per kind: {verification['disagreed']}", file=sys.stderr
        )
        for form, count in list(verification["by_form"].items())[:25]:
            print(f"  {count:5d}  {form}: {verification['examples'][form]}", file=sys.stderr)
    else:
        print("app.temporal not available: values NOT verified", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
