"""The data layer: data/raw → checked tables → the panel and the series a goal is judged on.

Raw I/O and schemas, validation and identities, `dgm import`, the panel and its build into
data/processed, coverage, the policy text, locks, atomic writes and the results store; `loaders`
holds the public loaders (`dgm.load_targets`, `dgm.series`, …).

May import: the root modules (dgm.constants, dgm.paths, dgm.errors, …) and this layer only.
"""
