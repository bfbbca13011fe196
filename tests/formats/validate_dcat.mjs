// Validates DCAT-AP output with the official DCAT-AP 3.0.1 SHACL shapes (rdf-validate-shacl),
// and checks that the Turtle, RDF/XML and JSON-LD forms of one document carry the same graph.
//   node tests/formats/validate_dcat.mjs SHAPES_DIR FILE.ttl|FILE.rdf|FILE.jsonld ...
// Turtle and RDF/XML are read by @zazuko/env-node's parsers (N3.js, rdfxml-streaming-parser);
// JSON-LD by the `jsonld` package (jsonld.toRDF). Prints one line per file and every violation;
// exits 1 when any file has a violation, fails to parse, or differs from its siblings.
import fs from 'node:fs'
import path from 'node:path'
import rdf from '@zazuko/env-node'
import SHACLValidator from 'rdf-validate-shacl'
import jsonld from 'jsonld'
import canonize from 'rdf-canonize'
import N3 from 'n3'

const [shapesDir, ...files] = process.argv.slice(2)
if (!shapesDir || files.length === 0) {
  console.error('usage: validate_dcat.mjs SHAPES_DIR FILE...')
  process.exit(2)
}

async function loadFile (file) {
  if (file.endsWith('.jsonld')) {
    const doc = JSON.parse(fs.readFileSync(file, 'utf8'))
    const nquads = await jsonld.toRDF(doc, { format: 'application/n-quads', safe: true })
    const quads = new N3.Parser({ format: 'N-Quads' }).parse(nquads)
    return rdf.dataset(quads)
  }
  const stream = rdf.fromFile(file, { implicitBaseIRI: true })
  return rdf.dataset().import(stream)
}

async function canonical (dataset) {
  const quads = [...dataset].map(q => ({
    subject: q.subject, predicate: q.predicate, object: q.object, graph: rdf.defaultGraph()
  }))
  return canonize.canonize(quads, { algorithm: 'RDFC-1.0' })
}

const shapes = rdf.dataset()
for (const name of ['dcat-ap-SHACL.ttl', 'ranges.ttl'])
  await shapes.import(rdf.fromFile(path.join(shapesDir, name)))
const validator = new SHACLValidator(shapes, { factory: rdf })
const sh = 'http://www.w3.org/ns/shacl#'

let failed = false
const byStem = new Map()
for (const file of files) {
  let data
  try {
    data = await loadFile(file)
  } catch (e) {
    console.log(`FAIL ${file}: does not parse: ${e.message}`)
    failed = true
    continue
  }
  const report = await validator.validate(data)
  let violations = 0
  let warnings = 0
  for (const r of report.results) {
    const severity = r.severity ? r.severity.value.replace(sh, '') : 'Violation'
    if (severity === 'Violation') {
      violations++
      console.log(`  violation: ${r.focusNode?.value} ${r.path?.value ?? ''}: ${r.message.map(m => m.value).join('; ')} [${r.sourceShape?.value}]`)
    } else {
      warnings++
    }
  }
  console.log(`${violations ? 'FAIL' : 'ok'} ${file}: ${data.size} triples, ${violations} violations, ${warnings} warnings`)
  if (violations) failed = true
  const stem = file.replace(/\.(ttl|rdf|jsonld)$/, '')
  if (!byStem.has(stem)) byStem.set(stem, [])
  byStem.get(stem).push({ file, canonical: await canonical(data) })
}

for (const [stem, forms] of byStem) {
  const differing = forms.slice(1).filter(other => other.canonical !== forms[0].canonical)
  for (const other of differing)
    console.log(`FAIL ${stem}: ${forms[0].file} and ${other.file} carry different graphs`)
  if (differing.length) failed = true
  else if (forms.length > 1) console.log(`ok ${stem}: ${forms.length} syntaxes, one graph`)
}
process.exit(failed ? 1 : 0)
