"""Sync package (see docs/architecture.md)."""
