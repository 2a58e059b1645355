"""The SDK's test kit: checks a plugin author runs in their own test suite.

It never imports the host; what needs a running portal is found through the
host's documented entry points at test time.

- ``fixtures``: the ``make_portal`` fixture (a real portal with your plugin).
- ``pages``: fetch a program's page in a language and check what it shows
  (``ProgramPage``, ``fetch``, ``service_item``, ``unlinked_service_problems``).
- ``catalogues``: ``catalogue_problems``, a ``.po`` against the code and its ``.mo``.
- ``catalogue_files``: what ``catalogue_problems`` leaves out (a current
  ``.pot``, blank translations, every plural form compiled) and
  ``CatalogueFiles.of_plugin`` for the conventional layout.
"""
