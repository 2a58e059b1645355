"""The SDK's test kit: checks a plugin author runs in their own test suite.

It never imports the host; what needs a running portal is found through the
host's documented entry points at test time.
"""
