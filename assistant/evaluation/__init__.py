"""``assistant eval``: case files (``docs/eval-cases.md``) run end to end, checked against device state."""
