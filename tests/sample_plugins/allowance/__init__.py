"""A test plugin for dated parameters, explained calculations, standing records and scheduled jobs."""
