"""Speed and memory of the assistant on this machine, stage by stage: `python -m benchmarks`.

Not tests: nothing here passes or fails. The results are written to
`benchmarks/results/latest.{json,md}` and quoted in the README."""
