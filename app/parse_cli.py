"""`python -m app parse [TEXT] [--jsonl]`: text → resolved call, no side effects."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from app.options import Context


def add_parser(subcommands: Any, parent: argparse.ArgumentParser) -> None:
    parser = subcommands.add_parser(
        "parse",
        parents=[parent],
        help="text → resolved calendar call (no side effects)",
        description="Understand a command. With --jsonl, read one utterance per line on stdin "
        "and write one JSON object per line.",
    )
    parser.add_argument("text", nargs="?", metavar="TEXT", help="the utterance")
    parser.add_argument(
        "--jsonl", action="store_true", help="one utterance per stdin line, JSON lines out"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, context: Context, parser: argparse.ArgumentParser) -> Any:
    if (args.text is None) == (not args.jsonl):
        parser.error("give TEXT, or --jsonl with utterances on stdin (not both)")
    from app.nlu.understand import Understander

    understander = Understander(_load_model())
    if args.text is not None:
        return understander.understand(args.text, context.language, context.now).to_json()
    for line in sys.stdin:
        text = line.strip()
        if not text:
            continue
        result = understander.understand(text, context.language, context.now)
        sys.stdout.write(json.dumps(result.to_json(), ensure_ascii=False) + "\n")
        sys.stdout.flush()
    return None


def _load_model() -> Any:
    from app.nlu.llama_model import load_call_model

    return load_call_model()
