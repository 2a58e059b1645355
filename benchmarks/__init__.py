"""The load benchmark (``make bench``): the portal under gunicorn on PostgreSQL and Redis, against a bare Flask app.

Run ``python -m benchmarks.run --help`` for the options; results go to
``benchmarks/results/latest.md``.
"""
