"""Pure rules of the people app (no database): identification numbers."""
