"""The log file (private, rotating, no personal data) and the CLI's one sentence for an unforeseen error."""

from __future__ import annotations

import logging
import os
import stat

import pytest

from elternlotse import entry, logs
from elternlotse.cli import main as cli_main
from elternlotse.domain.errors import ValidationError
from elternlotse.domain.text import N_

NAME, PHONE, EMAIL = "Ayşe Yılmaz", "0176 1234 5678", "ayse@example.org"


@pytest.fixture
def log_file(data_dir):
    installed = logs.install_logging(data_dir)
    yield installed
    installed.close()


def _text(path) -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(path.parent.glob(path.name + "*")))


def test_the_log_is_private_and_rotates(data_dir):
    installed = logs.install_logging(data_dir, max_bytes=2_000, backup_count=2)
    try:
        for n in range(200):
            logging.getLogger("elternlotse.test").info("line %d of the rotation test", n)
    finally:
        installed.close()
    folder = logs.log_folder(data_dir)
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["elternlotse.log", "elternlotse.log.1", "elternlotse.log.2"]
    assert "line 199 " in (folder / "elternlotse.log").read_text(encoding="utf-8")
    if os.name == "posix":
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        for path in folder.iterdir():
            assert stat.S_IMODE(path.stat().st_mode) == 0o600, path.name


def test_nothing_is_logged_before_install_and_nothing_after_close(data_dir):
    logging.getLogger("elternlotse.test").warning("before")
    assert not logs.log_folder(data_dir).exists()
    installed = logs.install_logging(data_dir)
    logging.getLogger("elternlotse.test").warning("during")
    installed.close()
    logging.getLogger("elternlotse.test").warning("after")
    text = installed.path.read_text(encoding="utf-8")
    assert "during" in text and "before" not in text and "after" not in text


def _fail_with_personal_data():
    guardian = {"name": NAME, "phone": PHONE, "email": EMAIL}  # a local: must not reach the log
    try:
        raise KeyError(guardian["name"])
    except KeyError as error:
        raise ValidationError(N_("{field}: '{value}' is not a phone number."), field="phones", value=PHONE) from error


def test_a_traceback_in_the_log_names_code_and_msgids_never_values(log_file):
    try:
        _fail_with_personal_data()
    except ValidationError:
        logging.getLogger("elternlotse.test").exception("saving failed")
    text = log_file.path.read_text(encoding="utf-8")
    assert "saving failed" in text
    assert "_fail_with_personal_data" in text and "Traceback (most recent call last)" in text
    assert "elternlotse.domain.errors.ValidationError: {field}: '{value}' is not a phone number." in text
    assert "The above exception was the direct cause" in text and "KeyError: '<redacted>'" in text
    for value in (NAME, PHONE, EMAIL, "17612345678"):
        assert value not in text


def test_scrub_keeps_the_words_of_a_message_and_drops_its_values():
    text = logs.scrub(f"invalid literal for int() with base 10: '{NAME}'; mail {EMAIL}, call +49 176 1234 5678")
    assert text == "invalid literal for int() with base 10: '<redacted>'; mail <e-mail>, call <number>"
    assert logs.scrub("UNIQUE constraint failed: persons.id") == "UNIQUE constraint failed: persons.id"


def test_only_messages_about_the_code_are_kept():
    assert logs.describe(AttributeError("'NoneType' object has no attribute 'id'")) == \
        "AttributeError: 'NoneType' object has no attribute 'id'"
    assert logs.describe(TypeError(f"cannot add 'str' and '{NAME}'")) == "TypeError: cannot add 'str' and '<redacted>'"
    assert logs.describe(KeyError("Ayla")) == "KeyError: '<redacted>'"
    assert logs.describe(OSError(13, "Permission denied")) == "PermissionError: [Errno 13] Permission denied"
    assert logs.describe(ValueError(f"invalid literal for int() with base 10: {NAME}")) == "ValueError: <message withheld>"
    assert logs.describe(RuntimeError()) == "RuntimeError"


def test_an_unforeseen_cli_error_gives_one_sentence_and_its_traceback_goes_to_the_log(data_dir, monkeypatch, capsys):
    def broken_command(args, context=None):
        raise RuntimeError(NAME)

    monkeypatch.setattr(cli_main, "run", broken_command)
    code = entry.main(["--data-dir", str(data_dir), "family", "list"])
    err = capsys.readouterr().err
    assert code == 1
    assert err.count("\n") == 1 and "RuntimeError" in err and "Traceback" not in err
    log_path = logs.log_file(data_dir)
    assert str(log_path) in err
    text = log_path.read_text(encoding="utf-8")
    assert "start cli family" in text and "broken_command" in text
    assert "RuntimeError: <message withheld>" in text and NAME not in text
    # entry.main closed its log again: later messages of this process do not go there.
    logging.getLogger("elternlotse.test").warning("after the command")
    assert "after the command" not in log_path.read_text(encoding="utf-8")


def test_a_refused_cli_command_logs_its_msgid(data_dir, capsys, monkeypatch):
    monkeypatch.setenv("ELTERNLOTSE_PASSPHRASE", "correct horse battery")
    code = entry.main(["--data-dir", str(data_dir), "family", "list"])  # no store yet
    assert code == 1 and capsys.readouterr().err.count("\n") == 1
    text = logs.log_file(data_dir).read_text(encoding="utf-8")
    assert "command family refused: StoreError No store in {path}" in text
    assert str(data_dir) not in text


def test_a_folder_that_cannot_be_written_leaves_the_program_running(tmp_path, capsys):
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x", encoding="utf-8")
    installed = logs.install_logging(blocked)  # <blocked>/logs cannot be made
    try:
        assert installed.path is None
        try:
            raise ValueError(NAME)
        except ValueError:
            logging.getLogger("elternlotse.test").exception("import failed")
    finally:
        installed.close()
    err = capsys.readouterr().err
    assert "import failed" in err and "ValueError: <message withheld>" in err and NAME not in err


def test_an_error_that_cannot_print_itself_still_gets_its_line():
    class Odd(AttributeError):
        def __str__(self):
            raise RuntimeError("no")

    assert logs.describe(Odd()).endswith(".<locals>.Odd: <unprintable>")
