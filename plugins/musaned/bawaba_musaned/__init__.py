"""Musaned: recruitment of domestic workers (visas, recruitment offices, contracts, complaints).

The plugin is found through the ``gateway.plugins`` entry point ``musaned``
(:mod:`bawaba_musaned.plugin`) and imports nothing but :mod:`sdk`.
"""
