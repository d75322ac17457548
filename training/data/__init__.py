"""Training data for the functional-token model: template records with value generators that
know their resolved values, converted MASSIVE rows, and ASR-transcribed variants.

`python -m training.data --out build/training` writes `train.jsonl`, `heldout.jsonl`,
`massive_dev_en.jsonl` and `massive_dev_de.jsonl` (see `training/data/README.md`).
"""
