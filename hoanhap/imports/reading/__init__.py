"""The reading layer of imports: messy spreadsheets in, typed rows and precise errors out.

Modules, from the bytes up (each usable on its own; none writes to the database):

* ``legacy``: TCVN3 / VNI / UTF-8-as-ANSI text detected per cell → Unicode NFC (``repair``).
* ``syllables``: is a word a Vietnamese syllable (the test behind ``legacy``).
* ``files``: .xlsx/.xls/.ods (python-calamine) and .csv → ``Sheet.rows()`` with exact row numbers.
* ``specs``: the columns of each import kind (headers, synonyms, types, choices).
* ``headers``: find the header row (titles skipped, two-line headers, numbering row).
* ``values``: one cell → a typed value or a ``ParseError`` quoting the value.
* ``addresses``: the row's address through the geography resolver (resolved / choice / error).
* ``table``: a sheet of a kind → ``Record`` per data row, ``CellError`` in the CLI's shape.
* ``template``: the .xlsx template of a kind (``hoanhap import-template``).

See docs/import.md.
"""
