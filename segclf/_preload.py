"""What every ``--jobs`` worker needs before its model, prepared once in the forkserver.

Workers are forked from a server process (``multiprocessing``'s forkserver), which
imports this module first: the imports and the per-code-point character tables
are then built once and inherited, instead of once in every worker (measured:
about 0.2 s of imports and 0.15 s of tables per worker, on a run of a few seconds).
"""

from __future__ import annotations

from segclf import features, parallel  # noqa: F401 - imported to be inherited by the workers

features.build_tables()
