"""Elternlotse: offline-first tool for parent navigators and their coordinating offices."""

__version__ = "0.1.0"
APP_NAME = "Elternlotse"
