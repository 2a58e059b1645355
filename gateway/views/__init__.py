"""The host's own pages and endpoints."""
