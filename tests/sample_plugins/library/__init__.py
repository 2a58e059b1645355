"""A small healthy plugin with its own table, migration, settings, pages and demo data."""
