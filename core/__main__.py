"""``python -m core``: the ``podpath`` command."""

import sys

from core.cli import main

sys.exit(main())
