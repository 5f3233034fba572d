"""The Excel add-in sources, shipped with ardesk; a package so that importlib.resources finds it."""
