"""Events across documents: the incidents that several articles report as one happening.

- `rows`: what linking knows of an incident, read from its document's graph;
- `pairs`: which two incidents may be one (blocking), what they share (features), the learned score;
- `clusters`: components of the likely pairs, cut into events by average linkage;
- `graph`: the events graph's triples, and writing them;
- `link`: all of it, over the whole store or only where documents changed.
"""

from kg.events.link import LinkReport, link
from kg.events.rows import IncidentRow, Reader

__all__ = ["IncidentRow", "LinkReport", "Reader", "link"]
