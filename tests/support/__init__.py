"""What the tests share beyond fixtures in conftest.py: kept out of the ``ambientnote`` package and its bundle.

Importable as ``support`` (``pythonpath = ["tests"]`` in pyproject.toml); not ``tests.support``, because a
dependency installs a top-level ``tests`` package into site-packages.
"""
