"""Identity: one person per national ID, one account per person, one sign-in for every program."""
