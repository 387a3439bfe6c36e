"""Consent-text versions installed in the store (an office's new wording, passed on by sync)."""


def apply(conn) -> None:
    conn.execute(
        "CREATE TABLE consent_texts ("
        " version TEXT NOT NULL, language TEXT NOT NULL, document TEXT NOT NULL, installed TEXT NOT NULL,"
        " origin TEXT NOT NULL DEFAULT '', PRIMARY KEY (version, language))"
    )
