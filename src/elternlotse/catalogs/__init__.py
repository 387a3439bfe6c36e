"""Catalogs package (see docs/architecture.md)."""
