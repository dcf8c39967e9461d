#!/usr/bin/env python
"""Django's command-line utility; ``hoanhap`` is the same with the CLI actor options."""

import sys

from hoanhap.cli import main

if __name__ == "__main__":
    sys.exit(main())
