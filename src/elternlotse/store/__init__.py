"""The encrypted store: SQLCipher through sqlite-utils, one write path."""

from elternlotse.store.database import Store, StoreInfo

__all__ = ["Store", "StoreInfo"]
