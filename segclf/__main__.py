"""``python -m segclf``: the same as the ``segclf`` command."""

from segclf.cli import main

raise SystemExit(main())
