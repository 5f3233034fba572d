"""SQL shipped with ardesk (see README.md here); a package so that importlib.resources finds it."""
