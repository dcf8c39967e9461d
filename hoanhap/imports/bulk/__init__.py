"""The bulk path of ``persons`` rows: a new person, or nothing changed, settled without a query each.

A list of 100,000 people cannot be tried row by row through the services (about 18 queries and 13
saves a row). Most rows do one of two things: register a person nobody has yet, with their
judgment and release; or, on a re-import, change nothing. ``planning.Planner`` works out those
rows a chunk at a time; ``writing.Writer`` inserts them.
"""

from hoanhap.imports.bulk.planning import Fallback, Known, Plan, Planner, Units
from hoanhap.imports.bulk.writing import Writer, insert_rows

__all__ = ["Fallback", "Known", "Plan", "Planner", "Units", "Writer", "insert_rows"]
