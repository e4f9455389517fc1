"""What every ``--jobs`` worker needs before its first document, prepared once in the fork server.

``segment_parallel`` forks its workers from a server process (``multiprocessing``'s
forkserver) that ``start_forkserver`` launches with this module as its preload.
In that process, importing this module imports segclf, builds the per-code-point
character tables and loads the model, and the workers inherit all three
(copy-on-write) instead of each preparing its own. Measured on 2 cores: imports
0.3-0.4 s, tables 0.2 s, a model load 0.5-0.7 s. On an idle machine the workers
start labeling no sooner than when each loaded its own model (the loads ran side
by side), but one load replaces one per worker: with two workers 42 MB less
memory (PSS), and on a busy machine, where the loads queued for the CPUs,
labeling started 0.7-1.0 s sooner.

Imported anywhere else this module does nothing and imports nothing heavy, so
``start_forkserver`` can be called before numpy is imported (nothing does so yet:
``segment_parallel`` calls it when it creates its pool).
"""

from __future__ import annotations

import os
import threading

__all__ = ["start_forkserver", "MODEL_ENV"]

#: Set only in the environment of the fork server that ``start_forkserver`` launches: the
#: model file to preload (empty for the shipped model).
MODEL_ENV = "SEGCLF_FORKSERVER_MODEL"
_LAUNCH = threading.Lock()  # threads that start pools at once must not interleave their changes to the variable


def start_forkserver(model: str | os.PathLike[str] | None) -> None:
    """Start the fork server now (if none runs yet), preparing segclf and ``model`` in it.

    Returns at once: the server prepares in the background, and the first worker
    asked for waits for it. A server that already runs is kept as it is; workers
    then load their model themselves if the server holds another one. Does
    nothing where there is no fork server (Windows).
    """
    import multiprocessing

    if "forkserver" not in multiprocessing.get_all_start_methods():
        return
    from multiprocessing import forkserver

    forkserver.set_forkserver_preload([__name__])
    # The server inherits the environment when it is launched; set the variable for that moment only.
    with _LAUNCH:
        previous = os.environ.get(MODEL_ENV)
        os.environ[MODEL_ENV] = os.path.abspath(model) if model is not None else ""
        try:
            forkserver.ensure_running()
        finally:
            if previous is None:
                del os.environ[MODEL_ENV]
            else:
                os.environ[MODEL_ENV] = previous


def _prepare(model: str | None) -> None:
    """Everything the workers inherit: imports, character tables, the loaded model."""
    from segclf import features, parallel

    features.build_tables()
    parallel.preload_model(model)


if MODEL_ENV in os.environ:  # this process is the fork server; its workers must not see the variable
    _prepare(os.environ.pop(MODEL_ENV) or None)
