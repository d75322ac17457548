"""MASSIVE's calendar rows labelled by the command contract (../shared/INTERFACE.md), not by
MASSIVE's intents: `training/data/massive_contract/<lang>_<partition>.jsonl`.

MASSIVE files timers, news and concerts under its calendar intents, "when is my meeting" as a
create and moves as queries. Each row was read and labelled by the function a careful person
would accept, blind to any model output; two labels where the row is genuinely ambiguous (the
first is the better), and a reason on every row whose first label is not MASSIVE's function
or whose labels leave MASSIVE's function out. `training.evaluate` scores MASSIVE dev against
these labels (and reports MASSIVE's own beside them); training relabels or leaves out the
train rows they answer differently (`massive.contract_decision`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from app.nlu.functions import FUNCTIONS_BY_NAME

LABELS_DIR = Path(__file__).resolve().parent / "massive_contract"
FUNCTIONS = tuple(FUNCTIONS_BY_NAME)


@dataclass(frozen=True)
class ContractLabel:
    massive: str
    """MASSIVE's intent as this project's function (calendar_set → create_event, …)."""
    contract: tuple[str, ...]
    """One function, or two for a genuinely ambiguous row (the better first)."""
    reason: str

    @property
    def differs(self) -> bool:
        return self.contract[0] != self.massive or self.massive not in self.contract


@cache
def contract_labels(language: str, partition: str) -> dict[str, ContractLabel]:
    """MASSIVE row id → its label; empty where no labels file exists."""
    path = LABELS_DIR / f"{language}_{partition}.jsonl"
    if not path.is_file():
        return {}
    labels = {}
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            row = json.loads(line)
            labels[row["id"]] = ContractLabel(row["massive"], tuple(row["contract"]), row["reason"])
    return labels
