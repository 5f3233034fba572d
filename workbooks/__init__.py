"""Workbook templates and specs, shipped with ardesk; a package so that importlib.resources finds it."""
