"""Events across documents: the incidents that several articles report as one happening.

- `incidents`: what linking knows of an incident (`IncidentRow`), read from its document's graph;
- `places`: what contains the places incidents name, from the shared entities graph;
- `pairs`: which two incidents may be one (blocking), what they share (features), the learned score;
- `clusters`: components of the likely pairs, cut into events by average linkage;
- `graph`: the events graph's triples, and writing them;
- `link`: all of it, over the whole store or only where documents changed;
- `memory`: the interning that lets linking hold every incident of a large store at once.
"""

from kg.events.incidents import IncidentRow, Reader
from kg.events.link import LinkReport, link

__all__ = ["IncidentRow", "LinkReport", "Reader", "link"]
