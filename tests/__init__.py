"""Host tests."""
