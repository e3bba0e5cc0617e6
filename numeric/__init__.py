"""numeric: high-precision and certified linear algebra (mpmath, python-flint).

>>> import numeric
>>> numeric.__name__
'numeric'
"""
__all__: list[str] = []
