"""``python -m assistant``: the same as the ``assistant`` command."""

import sys

from assistant.app.cli import main

sys.exit(main())
