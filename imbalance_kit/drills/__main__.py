"""``python -m imbalance_kit.drills``: the drill mode (see :mod:`imbalance_kit.drills.cli`)."""

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
