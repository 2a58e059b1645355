"""Developed social security (الضمان الاجتماعي المطور): support for the neediest households.

The plugin is found through the ``gateway.plugins`` entry point
``social_security`` (:mod:`bawaba_social_security.plugin`) and imports
nothing but :mod:`sdk`.
"""
