"""Handouts package (see docs/architecture.md)."""
