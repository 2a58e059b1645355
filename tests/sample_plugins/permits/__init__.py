"""A fishing-licence service used only by the forms tests."""
