"""Fees and payments (issue 4 §7): bills, the payment adapter, the providers' callback.

``init_payments`` lives in :mod:`gateway.payments.extension`; the package
itself imports nothing so that ``gateway.models`` can load ``payments.models``
without pulling in the views.
"""
