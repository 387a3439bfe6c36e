"""Sync by file: keys and cards, the signed and encrypted file format, payload validation, share scope.

Pure code: it knows nothing about the store (``services/sync.py`` reads and
writes the store).  The format is described in docs/sync-format.md.
"""
