// The query page: runs the editor's query against /sparql and shows the answer as a table.
"use strict";

const $ = (id) => document.getElementById(id);
const editor = $("query");
const runButton = $("run");
const statusLine = $("status");
const errorBox = $("error");
const results = $("results");
const downloads = $("downloads");
const pageData = JSON.parse($("page-data").textContent);  // canned queries, prefixes, plain datatypes
const prefixes = Object.entries(pageData.prefixes);
const plainTypes = new Set(pageData.plainTypes);  // datatypes shown without a note

// The server's format table (kg/formats.py): what a run asks for, and [label, media type, extension]
// of each download offered.
const FORMATS = pageData.formats;
const RUN_ACCEPT = `${FORMATS.solutions}, ${FORMATS.graph};q=0.9`;
const RESULT_FORMATS = FORMATS.results;
const GRAPH_FORMATS = FORMATS.graphs;

function post(query, accept) {
  return fetch("sparql", {
    method: "POST",
    headers: { "Content-Type": "application/sparql-query", Accept: accept },
    body: query,
  });
}

function shorten(iri) {
  for (const [prefix, namespace] of prefixes) {
    if (iri.startsWith(namespace) && iri.length > namespace.length) return `${prefix}:${iri.slice(namespace.length)}`;
  }
  return iri;
}

// A cell for one RDF term in SPARQL JSON form: {type, value, "xml:lang"?, datatype?}.
function termCell(cell, term) {
  if (!term) return;
  if (term.type === "uri") {
    const link = document.createElement("a");
    link.href = `entity?iri=${encodeURIComponent(term.value)}`;
    link.textContent = shorten(term.value);
    link.title = term.value;
    link.className = "iri";
    cell.append(link);
    return;
  }
  if (term.type === "bnode") {
    cell.textContent = `_:${term.value}`;
    return;
  }
  cell.append(term.value);
  const note = term["xml:lang"] ? `@${term["xml:lang"]}`
    : term.datatype && !plainTypes.has(term.datatype) ? shorten(term.datatype) : "";
  if (note) {
    const span = document.createElement("span");
    span.className = "note";
    span.textContent = ` ${note}`;
    cell.append(span);
  }
}

function table(vars, rows) {
  const tableElement = document.createElement("table");
  const head = tableElement.createTHead().insertRow();
  for (const name of ["", ...vars]) {
    const th = document.createElement("th");
    th.textContent = name;
    head.append(th);
  }
  const body = tableElement.createTBody();
  rows.forEach((row, index) => {
    const tr = body.insertRow();
    const number = tr.insertCell();
    number.className = "row-number";
    number.textContent = String(index + 1);
    for (const name of vars) termCell(tr.insertCell(), row[name]);
  });
  return tableElement;
}

// N-Triples (a CONSTRUCT or DESCRIBE answer) as rows of SPARQL JSON terms.
const NT_TERM = String.raw`<([^>]*)>|_:(\S+)|"((?:[^"\\]|\\.)*)"(?:@([A-Za-z0-9-]+)|\^\^<([^>]*)>)?`;
const NT_LINE = new RegExp(`^\\s*(?:${NT_TERM})\\s+(?:${NT_TERM})\\s+(?:${NT_TERM})\\s*\\.\\s*$`);

function unescapeLiteral(text) {
  return text.replace(/\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))/g, (_, u4, u8, c) => {
    if (u4 || u8) return String.fromCodePoint(parseInt(u4 || u8, 16));
    return { t: "\t", b: "\b", n: "\n", r: "\r", f: "\f" }[c] ?? c;
  });
}

function ntTerm(groups) {
  const [iri, bnode, literal, lang, datatype] = groups;
  if (iri !== undefined) return { type: "uri", value: iri };
  if (bnode !== undefined) return { type: "bnode", value: bnode };
  const term = { type: "literal", value: unescapeLiteral(literal) };
  if (lang) term["xml:lang"] = lang;
  if (datatype) term.datatype = datatype;
  return term;
}

function parseNTriples(text) {
  const rows = [];
  for (const line of text.split("\n")) {
    if (!line.trim() || line.trimStart().startsWith("#")) continue;
    const m = NT_LINE.exec(line);
    if (!m) throw new Error(`Cannot read the N-Triples line ${JSON.stringify(line)}`);
    rows.push({ subject: ntTerm(m.slice(1, 6)), predicate: ntTerm(m.slice(6, 11)), object: ntTerm(m.slice(11, 16)) });
  }
  return rows;
}

function setStatus(text, ok = false) {
  statusLine.textContent = text;
  statusLine.className = ok ? "ok" : "";
}

function showError(title, detail) {
  errorBox.textContent = detail ? `${title}\n${detail}` : title;
  errorBox.hidden = false;
  results.hidden = true;
  downloads.hidden = true;
  setStatus(title);
  statusLine.className = "failed";
}

function showDownloads(query, formats) {
  downloads.replaceChildren("Download:");
  for (const [name, media, extension] of formats) {
    const link = document.createElement("a");
    link.href = "sparql";
    link.textContent = name;
    link.dataset.format = name;
    link.title = `The answer as ${media}`;
    link.addEventListener("click", (event) => {
      event.preventDefault();
      download(query, media, extension);
    });
    downloads.append(link);
  }
  downloads.hidden = false;
}

async function download(query, media, extension) {
  const response = await post(query, media);
  if (!response.ok) {
    showError(`${response.status} ${response.statusText}`, await response.text());
    return;
  }
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = `results.${extension}`;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

async function run() {
  const query = editor.value;
  if (!query.trim()) return;
  runButton.disabled = true;
  errorBox.hidden = true;
  setStatus("Running…");
  const started = performance.now();
  try {
    const response = await post(query, RUN_ACCEPT);
    const body = await response.text();
    const elapsed = Math.round(performance.now() - started);
    if (!response.ok) {
      showError(`${response.status} ${response.statusText || "error"} after ${elapsed} ms`, body);
      return;
    }
    const media = (response.headers.get("content-type") || "").split(";")[0].trim();
    let count;
    if (media === FORMATS.solutions) {
      const answer = JSON.parse(body);
      if ("boolean" in answer) {
        const verdict = document.createElement("div");
        verdict.className = "boolean";
        verdict.textContent = String(answer.boolean);
        results.replaceChildren(verdict);
        count = null;
      } else {
        results.replaceChildren(table(answer.head.vars, answer.results.bindings));
        count = answer.results.bindings.length;
      }
      showDownloads(query, RESULT_FORMATS);
    } else if (media === FORMATS.graph) {
      const rows = parseNTriples(body);
      results.replaceChildren(table(["subject", "predicate", "object"], rows));
      count = rows.length;
      showDownloads(query, GRAPH_FORMATS);
    } else {
      showError(`Unexpected answer of type ${media || "(none)"}`, body.slice(0, 2000));
      return;
    }
    results.hidden = false;
    const what = count === null ? "Answered" : `${count} ${count === 1 ? "row" : "rows"}`;
    const cut = response.headers.get("X-Result-Truncated") === "true"
      ? ` (cut at the server's limit of ${response.headers.get("X-Result-Rows-Limit")} rows)` : "";
    setStatus(`${what} in ${elapsed} ms${cut}`, true);
  } catch (error) {
    showError("The query could not be run", String(error));
  } finally {
    runButton.disabled = false;
  }
}

function choose(button) {
  editor.value = pageData.queries[button.dataset.name];
  for (const other of document.querySelectorAll(".canned-query")) other.classList.toggle("active", other === button);
  history.replaceState(null, "", `#${encodeURIComponent(button.dataset.name)}`);
  run();
}

for (const button of document.querySelectorAll(".canned-query")) button.addEventListener("click", () => choose(button));
runButton.addEventListener("click", run);
editor.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    run();
  }
});

// A canned query named in the address (/#people) runs when the page opens or the address changes.
function fromAddress() {
  const name = decodeURIComponent(location.hash.slice(1));
  const button = name && document.querySelector(`.canned-query[data-name="${CSS.escape(name)}"]`);
  if (button) choose(button);
}
window.addEventListener("hashchange", fromAddress);
fromAddress();
