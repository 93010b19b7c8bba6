"""newskg: a knowledge graph of crisis news, served over SPARQL."""

__version__ = "0.1.0"
