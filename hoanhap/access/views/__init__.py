"""Pages of the access app: sign-in steps, organisations, accounts and role grants."""
