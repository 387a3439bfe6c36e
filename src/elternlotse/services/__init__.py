"""Use cases: one method per thing a person does.  Qt-free, shared by CLI and GUI."""
