"""The attack suite: each abuse case of the portal as a test against a real app (``make security``)."""
