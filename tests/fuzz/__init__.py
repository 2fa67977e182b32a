"""Fuzz targets for every surface that reads input from outside: see :mod:`tests.fuzz.framework`."""
