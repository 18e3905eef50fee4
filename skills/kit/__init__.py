"""The parts of the skill SDK (:mod:`skills.sdk` re-exports what skill authors use)."""
