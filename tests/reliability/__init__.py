"""The reliability suite (see conftest.py)."""
