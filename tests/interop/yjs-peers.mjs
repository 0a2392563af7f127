// Two real Yjs clients (yjs@13 + y-websocket@3, `ws` as the WebSocket) join
// a room and check that they converge with a third peer (our Rust client) on
// text and awareness, both ways. Driven by crates/server/tests/relay/interop.rs.
//
// usage: node yjs-peers.mjs <ws base url, e.g. ws://127.0.0.1:4455/rooms> <room> <tokenA> <tokenB>
// Prints one JSON line with the converged text and the names seen, exits 0;
// exits 1 with a reason on timeout.
import * as Y from 'yjs'
import { WebsocketProvider } from 'y-websocket'
import WebSocket from 'ws'

const [base, room, tokenA, tokenB] = process.argv.slice(2)
const deadline = Date.now() + 20000

function peer (name, token) {
  const doc = new Y.Doc()
  const provider = new WebsocketProvider(base, room, doc, {
    WebSocketPolyfill: WebSocket,
    disableBc: true,
    params: token ? { token } : {}
  })
  provider.awareness.setLocalStateField('user', { name })
  return { name, doc, provider, text: doc.getText('doc') }
}

function until (condition, what) {
  return new Promise((resolve, reject) => {
    const check = () => {
      if (condition()) return resolve()
      if (Date.now() > deadline) return reject(new Error(`timed out waiting for ${what}`))
      setTimeout(check, 20)
    }
    check()
  })
}

const names = (p) => [...p.provider.awareness.getStates().values()].map((s) => s.user?.name).filter(Boolean).sort()

const a = peer('yjs-a', tokenA)
const b = peer('yjs-b', tokenB)
try {
  await until(() => a.provider.synced && b.provider.synced, 'both Yjs peers to sync')
  a.text.insert(0, 'from-yjs-a;')
  b.doc.transact(() => b.text.insert(b.text.length, 'from-yjs-b;'))
  await until(() => a.text.toString().includes('from-rust;') && b.text.toString().includes('from-rust;'), 'the Rust peer\'s text')
  await until(() => a.text.toString() === b.text.toString() && a.text.toString().includes('from-yjs-b;'), 'the Yjs peers to converge')
  await until(() => names(a).some((n) => n.startsWith('rust')) && names(b).includes('yjs-a'), 'awareness of every peer')
  // Hold on until the Rust peer has seen us too (it says so by renaming itself).
  await until(() => names(a).includes('rust-done'), 'the Rust peer to finish')
  console.log(JSON.stringify({ text: a.text.toString(), names: names(a) }))
  a.provider.destroy()
  b.provider.destroy()
  process.exit(0)
} catch (error) {
  console.error(`${error.message}; a=${JSON.stringify(a.text.toString())} b=${JSON.stringify(b.text.toString())} names=${names(a)}`)
  process.exit(1)
}
