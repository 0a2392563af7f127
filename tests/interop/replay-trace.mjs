// Replays a sequential editing trace (josephg/editing-traces format, gzipped
// JSON) through the real yjs@13, the way our Rust side does in
// crates/collab/src/bin/collab_bench.rs: one transaction per patch on a
// Y.Text held in the `files` map, with an update listener summing the bytes
// a client would send. Driven by that bench.
//
// usage: node replay-trace.mjs <trace.json.gz>
// Prints one JSON line {replayMs, updateBytes, encodedBytes, loadMs}
// (replayMs and loadMs are medians); exits 1 if the replay does not give
// the trace's endContent.
import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import * as Y from 'yjs'

const trace = JSON.parse(gunzipSync(readFileSync(process.argv[2])).toString('utf8'))

function median (values) {
  return values.sort((a, b) => a - b)[Math.floor(values.length / 2)]
}

function check (text) {
  if (text.toString() !== trace.endContent) {
    console.error(`replay-trace: the replayed text (${text.length} chars) differs from endContent (${trace.endContent.length} chars)`)
    process.exit(1)
  }
}

function replay () {
  const started = performance.now()
  const doc = new Y.Doc()
  let updateBytes = 0
  doc.on('update', update => { updateBytes += update.length })
  const text = new Y.Text()
  doc.getMap('files').set('paper.tex', text)
  for (const txn of trace.txns) {
    for (const [pos, del, ins] of txn.patches) {
      doc.transact(() => {
        if (del > 0) text.delete(pos, del)
        if (ins.length > 0) text.insert(pos, ins)
      })
    }
  }
  const ms = performance.now() - started
  check(text)
  return { doc, ms, updateBytes }
}

const runs = [replay(), replay(), replay()]
const encoded = Y.encodeStateAsUpdate(runs[0].doc)
const loads = []
for (let i = 0; i < 5; i++) {
  const started = performance.now()
  const doc = new Y.Doc()
  Y.applyUpdate(doc, encoded)
  const text = doc.getMap('files').get('paper.tex')
  loads.push(performance.now() - started)
  check(text)
}
console.log(JSON.stringify({
  replayMs: median(runs.map(run => run.ms)),
  updateBytes: runs[0].updateBytes,
  encodedBytes: encoded.length,
  loadMs: median(loads)
}))
