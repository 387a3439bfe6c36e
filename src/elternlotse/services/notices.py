"""Things the app tells a person once per store (e.g. that a saved file leaves the encrypted store)."""

from __future__ import annotations

from elternlotse.store import Store

#: A file the user saved (access copy, personalised handout, call list) holds personal data outside the store.
SAVED_FILES = "saved_files_leave_store"


class NoticeService:
    def __init__(self, store: Store) -> None:
        self.store = store

    def first_time(self, key: str) -> bool:
        """True the first time ``key`` is asked for in this store, False ever after."""
        meta_key = f"notice.{key}"
        if self.store.meta(meta_key):
            return False
        with self.store.write(self.store.info.name, "notice.shown", key):
            self.store.set_meta(meta_key, "1")
        return True
