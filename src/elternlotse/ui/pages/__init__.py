"""One module per page.  Each page is a QWidget built from the ``Services`` it is given."""
