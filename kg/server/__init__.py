"""The HTTP side: SPARQL 1.1 Protocol endpoint and query page."""
