"""What every ``centrifuge`` command shares: refusing bad input in one line."""

from __future__ import annotations

import sys


def fail(message: object) -> int:
    """``centrifuge: reason`` on one line of stderr, and exit status 2."""
    print(f"centrifuge: {' '.join(str(message).split())}", file=sys.stderr)
    return 2
