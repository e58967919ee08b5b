"""Importers: data in other formats turned into our YAML records (``ecosystem import ...``)."""
