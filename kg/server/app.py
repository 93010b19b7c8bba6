"""`create_app(settings)`: the SPARQL endpoint and the query page."""
from __future__ import annotations

from contextlib import asynccontextmanager
from urllib.parse import parse_qs

import pyoxigraph as ox
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.concurrency import run_in_threadpool

from kg import queries
from kg.config import Settings
from kg.sparql import run_query
from kg.store import KGStore

RESULT_TYPES = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
}


def _negotiate(accept: str, offers: dict) -> str:
    """The first offered media type the Accept header allows, by q-value; the first offer by default."""
    ranked = []
    for position, part in enumerate(accept.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media, q = fields[0].lower(), 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        ranked.append((-q, position, media))
    for _, _, media in sorted(ranked):
        if media in offers:
            return media
        if media in ("*/*", "application/*", "text/*"):
            prefix = media.split("/")[0]
            for offer in offers:
                if media == "*/*" or offer.startswith(prefix + "/"):
                    return offer
    return next(iter(offers))


def create_app(settings: Settings) -> FastAPI:
    @asynccontextmanager
    async def lifespan(app: FastAPI):
        app.state.store = KGStore(settings.store)
        yield
        app.state.store.close()

    app = FastAPI(title="newskg SPARQL endpoint", lifespan=lifespan)

    async def answer(request: Request, text: str | None) -> Response:
        if not text:
            return PlainTextResponse("Missing 'query' parameter.", status_code=400)
        store: KGStore = request.app.state.store
        try:
            result = await run_in_threadpool(run_query, store.ox, text, union=settings.union_default_graph)
        except SyntaxError as exc:
            return PlainTextResponse(f"SPARQL syntax error: {exc}", status_code=400)
        accept = request.headers.get("accept", "*/*")
        if isinstance(result, ox.QueryTriples):
            media = _negotiate(accept, GRAPH_TYPES)
            body = await run_in_threadpool(result.serialize, None, GRAPH_TYPES[media])
        else:
            media = _negotiate(accept, RESULT_TYPES)
            body = await run_in_threadpool(result.serialize, None, RESULT_TYPES[media])
        return Response(body, media_type=media)

    @app.get("/sparql")
    async def sparql_get(request: Request) -> Response:
        return await answer(request, request.query_params.get("query"))

    @app.post("/sparql")
    async def sparql_post(request: Request) -> Response:
        content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
        body = await request.body()
        if content_type == "application/sparql-query":
            return await answer(request, body.decode("utf-8"))
        if content_type == "application/x-www-form-urlencoded":
            return await answer(request, parse_qs(body.decode("utf-8")).get("query", [None])[0])
        return PlainTextResponse(f"Unsupported content type {content_type!r}.", status_code=415)

    @app.get("/queries")
    async def canned() -> JSONResponse:
        return JSONResponse([{"name": q.name, "title": q.title, "description": q.description, "query": q.text}
                             for q in queries.all_queries().values()])

    @app.get("/", response_class=HTMLResponse)
    async def page() -> str:
        return PAGE

    return app


PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>newskg</title>
<style>body{font-family:system-ui,sans-serif;margin:2rem;max-width:75rem}textarea{width:100%;height:14rem;
font-family:monospace}table{border-collapse:collapse;margin-top:1rem}td,th{border:1px solid #ccc;padding:.2rem .5rem;
text-align:left;vertical-align:top}#canned button{margin:.1rem}</style></head><body>
<h1>newskg</h1><p>SPARQL endpoint: <code>/sparql</code>. Canned queries:</p><div id="canned"></div>
<textarea id="q">SELECT ?e ?label WHERE { ?e a <https://w3id.org/newskg/ontology#Person> ; <http://www.w3.org/2000/01/rdf-schema#label> ?label } LIMIT 20</textarea>
<p><button id="run">Run</button> <span id="status"></span></p><div id="out"></div>
<script>
const q=document.getElementById('q'),out=document.getElementById('out'),st=document.getElementById('status');
fetch('queries').then(r=>r.json()).then(list=>{for(const c of list){const b=document.createElement('button');
b.textContent=c.name;b.title=c.title;b.onclick=()=>{q.value=c.query;run()};document.getElementById('canned').append(b)}});
async function run(){st.textContent='running…';const r=await fetch('sparql',{method:'POST',headers:{'Content-Type':
'application/sparql-query',Accept:'application/sparql-results+json'},body:q.value});if(!r.ok){st.textContent=await r.text();
return}const j=await r.json();if(j.boolean!==undefined){out.textContent=String(j.boolean);st.textContent='';return}
const t=document.createElement('table'),h=t.insertRow();for(const v of j.head.vars){const th=document.createElement('th');
th.textContent=v;h.append(th)}for(const b of j.results.bindings){const r=t.insertRow();for(const v of j.head.vars)
r.insertCell().textContent=b[v]?b[v].value:''}out.replaceChildren(t);st.textContent=j.results.bindings.length+' rows'}
document.getElementById('run').onclick=run;
</script></body></html>"""
