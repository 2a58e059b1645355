"""Bawaba's first-party program plugins, packaged and discovered like any third party's."""
