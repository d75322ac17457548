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

from training.data.generate import FUNCTION_SHARES, split_templates, template_records
from training.data.massive import massive_dir, massive_records
from training.data.verify import Verifier
from training.data.vocabulary import LANGUAGES

REPO_ROOT = Path(__file__).resolve().parents[2]
ASR_FILE = Path(__file__).resolve().parent / "asr_records.jsonl"
NONE_SHARE = 0.26
ASR_SHARE = 0.05
"""At most this share of train.jsonl from the committed ASR records."""
HELDOUT_COUNTS = {"create_event": 110, "delete_event": 55, "list_events": 55, "none": 60}


def shared_dir() -> Path:
    return Path(os.environ.get("VOICE_CALENDAR_SHARED", REPO_ROOT.parent / "shared"))


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")


def read_asr_records() -> list[dict[str, Any]]:
    if not ASR_FILE.exists():
        return []
    with ASR_FILE.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _split_counts(total: int, shares: dict[str, float]) -> dict[str, int]:
    counts = {name: int(total * share) for name, share in shares.items()}
    first = next(iter(shares))
    counts[first] += total - sum(counts.values())
    return counts


def build(
    out: Path, seed: int, train_size: int, massive_share: float, verify: bool
) -> dict[str, Any]:
    started = time.perf_counter()
    split = split_templates(seed)
    verifier = Verifier(enabled=verify)
    massive_counts: Counter[str] = Counter()
    massive_path = massive_dir(shared_dir())
    massive_train: list[dict[str, Any]] = []
    if (massive_path / "en-US.train.jsonl").exists():
        massive_train = massive_records(
            massive_path / "en-US.train.jsonl",
            "en",
            "massive-en-train",
            seed,
            massive_counts,
            for_training=True,
        )
        random.Random(seed).shuffle(massive_train)
        massive_train = massive_train[: int(train_size * massive_share)]
    heldout_ids = {t.id for group in split.heldout.values() for t in group}
    asr_all = read_asr_records()
    asr = [
        record
        for record in asr_all
        if record["template"] not in heldout_ids
        and not split.heldout_title_in(record["language"], record["spoken_text"])
    ]
    random.Random(seed).shuffle(asr)
    asr = asr[: int(train_size * ASR_SHARE)]
    none_total = round(train_size * NONE_SHARE)
    calendar_total = max(0, train_size - none_total - len(massive_train) - len(asr))
    english_calendar_elsewhere = len(massive_train) + sum(
        1 for record in asr if record["language"] == "en" and record["function"] != "none"
    )
    german_calendar = min(calendar_total, (calendar_total + english_calendar_elsewhere) // 2)
    counts: dict[tuple[str, str], int] = {}
    for language, total in (("de", german_calendar), ("en", calendar_total - german_calendar)):
        for function, count in _split_counts(total, FUNCTION_SHARES).items():
            counts[language, function] = count
    counts["de", "none"] = none_total // 2
    counts["en", "none"] = none_total - none_total // 2

    rng = random.Random(seed)
    seen: set[str] = {record["text"] for record in massive_train + asr}
    train = template_records(
        counts=counts,
        pool=split.train,
        titles=split.train_titles,
        rng=rng,
        verifier=verifier,
        id_prefix="train",
        seen_texts=seen,
    )
    train += massive_train + asr
    rng.shuffle(train)

    heldout_counts = {
        (language, function): count
        for language in LANGUAGES
        for function, count in HELDOUT_COUNTS.items()
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
    for locale, language in (("en-US", "en"), ("de-DE", "de")):
        path = massive_path / f"{locale}.dev.jsonl"
        if path.exists():
            write_jsonl(
                out / f"massive_dev_{language}.jsonl",
                massive_records(path, language, f"massive-{language}-dev", seed, dev_counts),
            )
    summary = {
        "seed": seed,
        "train": dict(Counter(f"{r['source']}:{r['language']}:{r['function']}" for r in train)),
        "train_total": len(train),
        "none_share": round(sum(r["function"] == "none" for r in train) / max(1, len(train)), 3),
        "heldout_total": len(heldout),
        "heldout_templates": sum(len(group) for group in split.heldout.values()),
        "train_templates": sum(len(group) for group in split.train.values()),
        "massive_train_conversion": dict(massive_counts),
        "massive_dev_conversion": dict(dev_counts),
        "asr_records": len(asr),
        "asr_records_dropped_heldout_template_or_title": len(asr_all) - len(asr),
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
        default=0.2,
        help="at most this share of train.jsonl from MASSIVE en-US train (default 0.2)",
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
