"""Extractors: spaCy components that leave their facts on `doc._.facts`."""
