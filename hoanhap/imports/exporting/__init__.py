"""Whole-scope export in the import template's format (``hoanhap export``); see docs/import.md."""
