// Records of one protocol made by the WebAssembly module under Node, no browser.
// Usage: node web/e2e/records.mjs WASM_PATH PROTOCOL_NAME_OR_SCENARIO SEED SUBJECTS OUT_CSV
// Writes the records to OUT_CSV and the protocol as run beside it (OUT_CSV with .toml).
import fs from 'node:fs';
import path from 'node:path';

const [wasmPath, name, seed, subjects, outCsv] = process.argv.slice(2);
if (!outCsv) {
  console.error('usage: node web/e2e/records.mjs WASM_PATH PROTOCOL_NAME_OR_SCENARIO SEED SUBJECTS OUT_CSV');
  process.exit(2);
}

const { instance } = await WebAssembly.instantiate(fs.readFileSync(wasmPath), {});
const x = instance.exports;
const read = (len) => JSON.parse(new TextDecoder().decode(new Uint8Array(x.memory.buffer, x.answer(), len)));
function call(request) {
  const input = new TextEncoder().encode(JSON.stringify(request));
  const ptr = x.alloc(input.length);
  new Uint8Array(x.memory.buffer, ptr, input.length).set(input);
  try {
    return read(x.handle(ptr, input.length));
  } catch (e) {
    // A trap leaves its error answer behind.
    if (x.answer_len) return read(x.answer_len());
    throw e;
  }
}
function fail(message) {
  console.error(`records.mjs: ${message}`);
  process.exit(1);
}

// A protocol name (triadic-rat) stands for the scenario that runs it (rat-triad).
const listed = call({ op: 'scenarios' });
if (listed.error) fail(listed.error);
const scenario = listed.ok.scenarios.find((s) => s.id === name)
  || listed.ok.scenarios.find((s) => s.protocol === name);
const answer = call({
  op: 'export', scenario: scenario ? scenario.id : name,
  seed: Number(seed), subjects: Number(subjects), knobs: {},
});
if (answer.error) fail(answer.error);
const tomlPath = outCsv.replace(/(\.[^./\\]*)?$/, '.toml');
fs.mkdirSync(path.dirname(path.resolve(outCsv)), { recursive: true });
fs.writeFileSync(outCsv, answer.ok.records);
fs.writeFileSync(tomlPath, answer.ok.toml);
console.log(`${outCsv}: ${Buffer.byteLength(answer.ok.records)} bytes; ${tomlPath}`);
