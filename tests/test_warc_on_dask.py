"""Issue 12's end-to-end line: a 1,000-record WARC made here goes through the Dask path into the store
and comes out through /sparql of the app `kg serve` runs (in process: the live server has tests of its
own). Each record is a whole page around a one-paragraph story: the archive, the cluster and the store
see 1,000 records, and extraction stays cheap."""
from __future__ import annotations

from pathlib import Path


import pytest

from kg.distributed import ingest_on_cluster
from kg.namespaces import DEFAULT_BASE
from kg.store import KGStore
from tests.conftest import in_process
from tests.corpora import write_warc

pytestmark = pytest.mark.heavy

RECORDS = 1000
QUERY = """PREFIX nkg: <https://w3id.org/newskg/ontology#>
PREFIX schema: <https://schema.org/>
PREFIX dcterms: <http://purl.org/dc/terms/>
SELECT (COUNT(DISTINCT ?doc) AS ?docs) (COUNT(DISTINCT ?url) AS ?urls) (SAMPLE(?publisher) AS ?site)
       (COUNT(DISTINCT ?toll) AS ?tolls) WHERE {
  GRAPH ?doc { ?doc a nkg:Document ; schema:url ?url ; dcterms:publisher ?publisher .
               OPTIONAL { ?doc nkg:mainIncident ?main . ?toll nkg:incident ?main } }
}"""


def test_a_thousand_record_warc_goes_through_dask_into_the_store_and_out_through_sparql(tmp_path: Path) -> None:
    stories = write_warc(tmp_path / "crawl.warc.gz", RECORDS, short=True)
    store = KGStore(tmp_path / "store")
    report = ingest_on_cluster([tmp_path / "crawl.warc.gz"], store, DEFAULT_BASE, cluster="local:2",
                               shards=tmp_path / "shards")
    store.close()
    assert (report.documents, report.errors) == (RECORDS, [])
    assert len(list((tmp_path / "shards").glob("*.nq"))) > 2  # cut into chunks of records, one task each

    with in_process(tmp_path / "store") as client:
        response = client.post("/sparql", data={"query": QUERY}, headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.text
    [row] = response.json()["results"]["bindings"]
    assert int(row["docs"]["value"]) == int(row["urls"]["value"]) == len({s.url for s in stories}) == RECORDS
    assert row["site"]["value"] == "gulfledger.example"
    assert int(row["tolls"]["value"]) >= RECORDS // 2  # news-shaped stories: most report a toll
