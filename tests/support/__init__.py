"""Test helpers that start real services (no mocks)."""
