"""Pages of the support app (thin: selectors read, services write)."""
