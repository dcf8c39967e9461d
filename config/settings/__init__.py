"""Settings package: ``base`` for running the system, ``test`` for the test suite."""

from .base import *  # noqa: F403
