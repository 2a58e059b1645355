"""GOSI: social insurance (pensions, health insurance and treatment, employment record).

The plugin is found through the ``gateway.plugins`` entry point ``gosi``
(:mod:`bawaba_gosi.plugin`) and imports nothing but :mod:`sdk`.
"""
