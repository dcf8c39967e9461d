"""The support rules: pure functions, no database (see policy_bank)."""
