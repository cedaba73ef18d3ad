// End-to-end test of the teaching page in headless Chromium, offline.
// Usage: node web/e2e/page.test.mjs PAGE_PATH OUT_DIR CLI_PATH
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const [pagePath, outDir, cliPath] = process.argv.slice(2);
if (!pagePath || !outDir || !cliPath) {
  console.error('usage: node web/e2e/page.test.mjs PAGE_PATH OUT_DIR CLI_PATH');
  process.exit(2);
}
fs.mkdirSync(outDir, { recursive: true });

let passed = 0;
let failed = 0;
async function check(name, body) {
  try {
    await body();
    passed++;
    console.log(`ok ${name}`);
  } catch (e) {
    failed++;
    console.log(`FAIL ${name}: ${String(e && e.message ? e.message : e).split('\n')[0]}`);
  }
}
function assert(condition, message) {
  if (!condition) throw new Error(message);
}

let browser;
try {
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
} catch (e) {
  console.log(`FAIL launch Chromium: ${e.message.split('\n')[0]}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const context = await browser.newContext({ viewport: { width: 1600, height: 1000 }, acceptDownloads: true });
const blocked = [];
await context.route('**/*', (route) => {
  const url = route.request().url();
  if (/^(file|data|blob):/.test(url)) return route.continue();
  blocked.push(url);
  return route.abort();
});
await context.setOffline(true);
const page = await context.newPage();
const errors = [];
page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
page.on('pageerror', (e) => errors.push(`page: ${e.message}`));

// Clicks a button and waits until the page has finished that action (data-done grows).
async function press(selector, timeout = 120_000) {
  const before = Number(await page.evaluate(() => document.body.dataset.done || 0));
  await page.click(selector);
  await page.waitForFunction((n) => Number(document.body.dataset.done || 0) > n, before, { timeout });
}
async function shownError() {
  return page.$eval('#error', (e) => (e.hidden ? '' : e.textContent));
}
async function pick(id) {
  await page.selectOption('#scenario', id);
  assert((await page.$eval('#scenario', (s) => s.value)) === id, `scenario ${id} not selected`);
}
async function scenarios() {
  return page.$$eval('#scenario option', (os) => os.map((o) => ({ id: o.value, kind: o.dataset.kind })));
}
const seconds = (ms) => `${(ms / 1000).toFixed(2)} s`;

const t0 = Date.now();
let ready = false;

await check('opens offline from file://', async () => {
  await page.goto(pathToFileURL(path.resolve(pagePath)).href);
  await page.waitForSelector('body[data-ready="1"]', { timeout: 20_000 });
  ready = true;
  console.log(`# ready after ${seconds(Date.now() - t0)}`);
  assert(blocked.length === 0, `network requests attempted: ${blocked.join(', ')}`);
});

await check('rat triad: yoked rats escape slowly', async () => {
  assert(ready, 'page not ready');
  await pick('rat-triad');
  await press('#run-all');
  const lastRun = await page.evaluate(() => document.body.dataset.lastRun);
  assert(lastRun, 'no run answer on body[data-last-run]');
  console.log(`# first run result after ${seconds(Date.now() - t0)}`);
  const error = await shownError();
  assert(!error, error);
  const test = JSON.parse(lastRun);
  const latency = (re) => {
    const row = test.find((r) => re.test(r.group));
    assert(row, `no group matching ${re} in ${test.map((r) => r.group).join(', ')}`);
    return row.mean_latency_s;
  };
  const yoked = latency(/inescapable|yoked/);
  const escapable = latency(/^escapable/);
  const noShock = latency(/no-shock|home/);
  console.log(`# test latency: inescapable ${yoked.toFixed(2)} s, escapable ${escapable.toFixed(2)} s, no-shock ${noShock.toFixed(2)} s`);
  for (const [name, other] of [['escapable', escapable], ['no-shock', noShock]]) {
    assert(yoked >= 1.5 * other && yoked - other >= 3, `inescapable ${yoked} s not well above ${name} ${other} s`);
  }
  assert(await page.locator('#latency-chart path.series').count() > 0, 'latency chart has no curve');
  await page.screenshot({ path: path.join(outDir, 'run-all.png'), fullPage: true });
});

await check('step shows a trace', async () => {
  assert(ready, 'page not ready');
  await press('#step');
  await press('#step');
  const error = await shownError();
  assert(!error, error);
  const points = await page.$$eval('svg.trace', (svgs) => Math.max(0, ...svgs
    .filter((svg) => svg.getBoundingClientRect().width > 0)
    .flatMap((svg) => [...svg.querySelectorAll('path, polyline')].map((line) =>
      (line.getAttribute('d') || line.getAttribute('points') || '').split(/[ML ]+/).filter((p) => p.includes(',')).length))));
  assert(points >= 3, `no visible trace with several points (best: ${points})`);
  assert(await page.locator('svg.trace').first().isVisible(), 'trace chart not visible');
  await page.screenshot({ path: path.join(outDir, 'step.png'), fullPage: true });
});

await check('export gives the records the CLI writes', async () => {
  assert(ready, 'page not ready');
  for (const [id, value] of [['#seed', '7'], ['#subjects', '20']]) {
    await page.fill(id, value);
    await page.dispatchEvent(id, 'change');
  }
  const exportDir = path.join(outDir, 'export');
  const cliOut = path.join(outDir, 'cli-run');
  fs.rmSync(exportDir, { recursive: true, force: true });
  fs.rmSync(cliOut, { recursive: true, force: true });
  fs.mkdirSync(exportDir, { recursive: true });
  const save = async (selector) => {
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.click(selector)]);
    const file = path.join(exportDir, download.suggestedFilename());
    await download.saveAs(file);
    return file;
  };
  const toml = await save('#export-protocol');
  const records = await save('#export-records');
  const error = await shownError();
  assert(!error, error);
  assert(/seed\s*=\s*7\b/.test(fs.readFileSync(toml, 'utf8')), 'protocol does not carry seed 7');
  execFileSync(cliPath, ['run', toml, '--out', cliOut, '--no-plots', '--quiet'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const fromPage = fs.readFileSync(records);
  const fromCli = fs.readFileSync(path.join(cliOut, path.basename(records)));
  console.log(`# ${path.basename(toml)}; ${path.basename(records)}: page ${fromPage.length} bytes, CLI ${fromCli.length} bytes`);
  assert(fromPage.length > 0, 'empty records');
  assert(fromPage.equals(fromCli), 'records differ from the CLI run');
});

await check('life scenario draws its charts', async () => {
  assert(ready, 'page not ready');
  const life = (await scenarios()).find((s) => s.kind === 'life');
  assert(life, 'no life scenario listed');
  await pick(life.id);
  await press('#run-all');
  const error = await shownError();
  assert(!error, error);
  const curves = await page.locator('#life-chart path.series').count();
  assert(curves > 0, '#life-chart has no curve');
  console.log(`# ${life.id}: ${curves} curves`);
  await page.screenshot({ path: path.join(outDir, 'life.png'), fullPage: true });
});

await check('people lab scenario runs', async () => {
  assert(ready, 'page not ready');
  const list = await scenarios();
  const people = list.find((s) => s.id === 'noise-anagrams')
    || list.find((s) => s.kind === 'lab' && s.id !== 'rat-triad' && /human|people|anagram|hiroto|noise/.test(s.id));
  assert(people, 'no people lab scenario listed');
  await pick(people.id);
  await press('#run-all');
  const error = await shownError();
  assert(!error, `${people.id}: ${error}`);
  assert(await page.locator('#latency-chart path.series').count() > 0, 'latency chart has no curve');
  await page.screenshot({ path: path.join(outDir, 'people.png'), fullPage: true });
});

await check('no console or page errors', async () => {
  assert(errors.length === 0, `${errors.length}: ${errors.slice(0, 3).join(' | ')}`);
});

await browser.close();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
