// The page of `ikg serve`: runs queries against /sparql, draws neighbourhoods (/graph.svg)
// and shows the evidence of a relation (/evidence). Text from the store is only ever set
// as textContent; the SVG comes from the server's Graphviz.
'use strict';

const ID = 'https://w3id.org/ikg/id/';
const PREFIXES = [
  ['id:', ID],
  ['doc:', 'https://w3id.org/ikg/doc/'],
  ['ikg:', 'https://w3id.org/ikg/ontology#'],
  ['rdfs:', 'http://www.w3.org/2000/01/rdf-schema#'],
  ['rdf:', 'http://www.w3.org/1999/02/22-rdf-syntax-ns#'],
  ['skos:', 'http://www.w3.org/2004/02/skos/core#'],
];
const $ = (id) => document.getElementById(id);

function setStatus(id, text, isError) {
  const el = $(id);
  el.textContent = text;
  el.classList.toggle('error', Boolean(isError));
}

function compact(iri) {
  for (const [prefix, ns] of PREFIXES) {
    if (iri.startsWith(ns)) {
      try {
        return prefix + decodeURIComponent(iri.slice(ns.length));
      } catch (e) {
        return prefix + iri.slice(ns.length);
      }
    }
  }
  return iri;
}

// A results cell: IRIs of entities and Chinese labels can be drawn.
function cell(term) {
  const td = document.createElement('td');
  if (!term) return td;
  if (term.type === 'uri') {
    td.textContent = compact(term.value);
    td.title = term.value;
    if (term.value.startsWith(ID)) link(td, term.value);
  } else if (term.type === 'literal' || term.type === 'typed-literal') {
    td.textContent = term.value;
    if (term['xml:lang'] === 'zh' && term.value.length <= 60) link(td, term.value);
  } else {
    td.textContent = term.type === 'bnode' ? '_:' + term.value : JSON.stringify(term.value);
  }
  return td;
}

function link(td, name) {
  td.classList.add('link');
  td.addEventListener('click', () => drawEntity(name));
}

// Renders SPARQL JSON results as a table; returns the number of rows.
function renderResults(container, json) {
  container.replaceChildren();
  if (typeof json.boolean === 'boolean') {
    const p = document.createElement('p');
    p.textContent = 'ASK: ' + json.boolean;
    container.append(p);
    return 1;
  }
  const vars = json.head.vars;
  const table = document.createElement('table');
  const head = table.createTHead().insertRow();
  for (const v of vars) {
    const th = document.createElement('th');
    th.textContent = '?' + v;
    head.append(th);
  }
  const body = table.createTBody();
  for (const binding of json.results.bindings) {
    const row = body.insertRow();
    for (const v of vars) row.append(cell(binding[v]));
  }
  container.append(table);
  return json.results.bindings.length;
}

function showText(container, text, isError) {
  const pre = document.createElement('pre');
  pre.textContent = text;
  if (isError) pre.classList.add('error');
  container.replaceChildren(pre);
}

async function runQuery() {
  const query = $('query').value;
  setStatus('results-status', '运行中 running…');
  const started = performance.now();
  try {
    const response = await fetch('sparql', {
      method: 'POST',
      body: new URLSearchParams({ query }),
      headers: { Accept: 'application/sparql-results+json, text/turtle;q=0.9' },
    });
    const text = await response.text();
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    if (!response.ok) {
      showText($('results'), text, true);
      setStatus('results-status', 'HTTP ' + response.status, true);
      return;
    }
    const type = response.headers.get('Content-Type') || '';
    if (type.includes('json')) {
      const rows = renderResults($('results'), JSON.parse(text));
      setStatus('results-status', rows + ' 行 rows, ' + seconds + ' s');
    } else {
      showText($('results'), text, false);
      setStatus('results-status', 'graph (Turtle), ' + seconds + ' s — 画图 Draw CONSTRUCT draws it');
    }
  } catch (e) {
    setStatus('results-status', String(e), true);
  }
}

// Loads an SVG from /graph.svg and wires its nodes and edges.
async function drawSvg(params) {
  params.set('depth', $('depth').value);
  params.set('lang', $('lang').value);
  setStatus('graph-status', '画图中 drawing…');
  const response = await fetch('graph.svg?' + params.toString());
  const text = await response.text();
  if (!response.ok) {
    showText($('graph'), text, true);
    setStatus('graph-status', 'HTTP ' + response.status, true);
    return;
  }
  const doc = new DOMParser().parseFromString(text, 'image/svg+xml');
  const svg = document.importNode(doc.documentElement, true);
  $('graph').replaceChildren(svg);
  const drawn = Number(response.headers.get('ikg-graph-nodes') || '0');
  const labels = new Map();
  for (const g of svg.querySelectorAll('g.node')) {
    const id = g.querySelector('title').textContent;
    const label = g.querySelector('text') ? g.querySelector('text').textContent : '';
    if (Number(id) >= drawn) continue; // a legend entry
    labels.set(id, label);
    g.addEventListener('click', () => drawEntity(label));
  }
  for (const g of svg.querySelectorAll('g.edge')) {
    const [a, b] = g.querySelector('title').textContent.split('->');
    if (labels.has(a) && labels.has(b)) {
      g.addEventListener('click', () => showEvidence(labels.get(a), labels.get(b)));
    }
  }
  setStatus('graph-status', labels.size + ' 个节点 nodes');
}

function drawEntity(name) {
  $('entity').value = name;
  $('graph-section').scrollIntoView({ behavior: 'smooth' });
  return drawSvg(new URLSearchParams({ entity: name }));
}

async function showEvidence(subject, object) {
  $('evidence-title').textContent = subject + ' — ' + object;
  const params = new URLSearchParams({ subject, object });
  const response = await fetch('evidence?' + params.toString());
  const text = await response.text();
  if (!response.ok) {
    showText($('evidence'), text, true);
    return;
  }
  renderResults($('evidence'), JSON.parse(text));
  $('evidence-section').scrollIntoView({ behavior: 'smooth' });
}

async function loadExamples() {
  const response = await fetch('examples.json');
  const examples = await response.json();
  const select = $('examples');
  examples.forEach((example, i) => {
    const option = document.createElement('option');
    option.value = String(i);
    option.textContent = example.title + ' — ' + example.name;
    select.append(option);
  });
  select.addEventListener('change', () => {
    $('query').value = examples[Number(select.value)].query;
  });
  if (examples.length > 0) $('query').value = examples[0].query;
  return examples;
}

// A link can say what to show: ?example=FILE.rq picks an example, &run runs it,
// &entity=NAME draws that entity.
async function followLink(examples) {
  const params = new URLSearchParams(window.location.search);
  const chosen = examples.findIndex((e) => e.name === params.get('example'));
  if (chosen >= 0) {
    $('examples').value = String(chosen);
    $('query').value = examples[chosen].query;
  }
  if (params.has('run')) await runQuery();
  if (params.get('entity')) await drawEntity(params.get('entity'));
}

$('endpoint').textContent = new URL('sparql', window.location.href).href;
$('run').addEventListener('click', runQuery);
$('query').addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
    e.preventDefault();
    runQuery();
  }
});
$('draw-query').addEventListener('click', () => drawSvg(new URLSearchParams({ query: $('query').value })));
$('graph-form').addEventListener('submit', (e) => {
  e.preventDefault();
  if ($('entity').value.trim()) drawEntity($('entity').value.trim());
});
loadExamples().then(followLink);
