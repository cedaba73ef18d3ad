'use strict';
// Teaching page: the helplessness library compiled to WebAssembly, driven through its
// one JSON entry point (web/API.md). Everything is drawn as SVG; nothing is fetched.

const $ = (id) => document.getElementById(id);
const reducedMotion = window.matchMedia('(prefers-reduced-motion: reduce)');
const SHOCK_COLOUR = '#D55E00';
const STEP_MS = 1500;
const REVEAL_MS = 1000;

let wasm = null;          // { module, exports }
let meta = null;          // the `scenarios` answer
let scenario = null;      // the scenario picked
let knobValues = {};      // knob id -> value sent (null: as the protocol has it)
let generation = 0;       // bumped whenever the settings change
let queue = Promise.resolve();
let doneCount = 0;
let animation = null;     // { finish } of the animation running

const cache = { run: null, ranText: '', layout: null, exported: null };
const view = { revealed: 0, phase: 0, trial: 0 };  // units of results shown; last trial stepped

// ---------------------------------------------------------------- the module

// The module is inlined as base64 of its gzip-compressed bytes (plain bytes also work).
async function loadModule() {
  const binary = atob($('wasm-data').textContent.replace(/\s+/g, ''));
  let bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    const inflated = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
    bytes = await new Response(inflated).arrayBuffer();
  }
  const { module, instance } = await WebAssembly.instantiate(bytes, {});
  wasm = { module, exports: instance.exports };
}

function readAnswer(x, len) {
  return JSON.parse(new TextDecoder().decode(new Uint8Array(x.memory.buffer, x.answer(), len)));
}

function callModule(request) {
  const x = wasm.exports;
  const input = new TextEncoder().encode(JSON.stringify(request));
  const ptr = x.alloc(input.length);
  new Uint8Array(x.memory.buffer, ptr, input.length).set(input);
  return readAnswer(x, x.handle(ptr, input.length));
}

// Asks the module. A trap (a bug in the library) leaves an error answer behind, which
// is shown; a fresh instance serves the next request.
async function ask(request) {
  if (!wasm.exports) {
    wasm.exports = (await WebAssembly.instantiate(wasm.module, {})).exports;
  }
  try {
    return callModule(request);
  } catch (e) {
    const x = wasm.exports;
    wasm.exports = null;
    try {
      const kept = readAnswer(x, x.answer_len());
      if (kept && kept.error) return kept;
    } catch { /* no answer kept: report the trap itself */ }
    return { error: `the simulator stopped: ${e.message}` };
  }
}

// ---------------------------------------------------------------- settings

function settings() {
  return {
    scenario: scenario.id,
    seed: readInteger($('seed'), 0, Number.MAX_SAFE_INTEGER, 1),
    subjects: readInteger($('subjects'), 1, 500, scenario.subjects),
    knobs: { ...knobValues },
  };
}

function readInteger(input, min, max, fallback) {
  const v = Math.round(Number(input.value));
  const n = input.value.trim() === '' || !Number.isFinite(v) ? fallback : Math.min(max, Math.max(min, v));
  if (String(n) !== input.value) input.value = String(n);
  return n;
}

// Any change of scenario, knob, seed or subjects: old answers no longer hold.
function settingsChanged() {
  generation++;
  cache.run = null;
  cache.layout = null;
  cache.exported = null;
  resetDisplay();
  $('cli-line').textContent = `helplessness run ${scenario.protocol}.toml --out run`;
}

function resetDisplay() {
  finishAnimation();
  view.revealed = 0;
  view.phase = 0;
  view.trial = 0;
  delete document.body.dataset.lastRun;
  $('step-view').hidden = true;
  $('step-panels').replaceChildren();
  $('run-view').hidden = true;
  $('hint').hidden = false;
  clearError();
  showCursor();
}

function decimals(step) {
  const s = String(step);
  return s.includes('.') ? s.split('.')[1].length : 0;
}

function knobText(knob, value) {
  if (value === null || value === undefined) return knob.null_label || 'as in the protocol';
  return Number(value).toFixed(decimals(knob.step ?? 1)) + (knob.unit ? ` ${knob.unit}` : '');
}

function buildKnobs() {
  const box = $('knobs');
  box.replaceChildren();
  knobValues = {};
  for (const knob of scenario.knobs) {
    const id = `knob-${knob.id}`;
    const field = document.createElement('div');
    field.className = 'field';
    knobValues[knob.id] = knob.default;
    if (knob.kind === 'range') {
      const nullable = knob.default === null;
      const mid = (knob.min + knob.max) / 2;
      const start = nullable ? Number((Math.round(mid / knob.step) * knob.step).toFixed(decimals(knob.step))) : knob.default;
      field.innerHTML = `<label for="${id}">${esc(knob.label)}</label>
        <div class="row">${nullable ? `<label class="set"><input type="checkbox" id="${id}-set"> set</label>` : ''}
        <input type="range" id="${id}" min="${knob.min}" max="${knob.max}" step="${knob.step}" value="${start}"${nullable ? ' disabled' : ''}>
        <output for="${id}"></output></div>`;
      const range = field.querySelector('input[type=range]');
      const set = field.querySelector(`#${CSS.escape(id)}-set`);
      const out = field.querySelector('output');
      const update = () => {
        const on = !set || set.checked;
        range.disabled = !on;
        knobValues[knob.id] = on ? Number(range.value) : null;
        out.textContent = knobText(knob, knobValues[knob.id]);
        out.classList.toggle('unset', !on);
      };
      range.addEventListener('input', () => { update(); settingsChanged(); });
      if (set) set.addEventListener('change', () => { update(); settingsChanged(); });
      update();
    } else if (knob.kind === 'checkbox') {
      field.classList.add('check');
      field.innerHTML = `<label><input type="checkbox" id="${id}"${knob.default ? ' checked' : ''}> ${esc(knob.label)}</label>`;
      const box = field.querySelector('input');
      box.addEventListener('change', () => { knobValues[knob.id] = box.checked; settingsChanged(); });
    } else if (knob.kind === 'select') {
      const options = knob.options.map((o, i) =>
        `<option value="${i}"${o.value === knob.default ? ' selected' : ''}>${esc(o.label)}</option>`);
      field.innerHTML = `<label for="${id}">${esc(knob.label)}</label><select id="${id}">${options.join('')}</select>`;
      const select = field.querySelector('select');
      select.addEventListener('change', () => {
        knobValues[knob.id] = knob.options[Number(select.value)].value;
        settingsChanged();
      });
    } else {
      continue;
    }
    box.append(field);
  }
}

function pickScenario(id) {
  scenario = meta.scenarios.find((s) => s.id === id) || meta.scenarios[0];
  $('scenario').value = scenario.id;
  $('scenario-title').textContent = scenario.title;
  $('scenario-explanation').textContent = scenario.explanation;
  $('scenario-paper').textContent = scenario.paper ? `Reproduces: ${scenario.paper}` : '';
  $('subjects').value = String(Math.min(500, Math.max(1, scenario.subjects || 100)));
  const life = scenario.kind !== 'lab';
  $('step').disabled = life;
  $('step').title = life
    ? 'Step follows single trials of seconds; a life scenario runs in weeks of days, so use Run phase or Run all.'
    : 'Run the next trial for one subject of each group (key S)';
  buildKnobs();
  settingsChanged();
}

// ---------------------------------------------------------------- status

function status(text) {
  $('status').textContent = text;
}

function showError(message) {
  const box = $('error');
  box.textContent = `Error: ${message}`;
  box.hidden = false;
  status('The simulator answered with an error (below).');
}

function clearError() {
  $('error').hidden = true;
  $('error').textContent = '';
}

function seconds(ms) {
  const s = ms / 1000;
  return s < 0.1 ? s.toFixed(2) : s.toFixed(1);
}

function showCursor() {
  const parts = [];
  if (view.trial > 0 && cache.layout) {
    const p = cache.layout.phases[view.phase];
    parts.push(`Phase ${p.name}, trial ${view.trial} of ${p.trials}`);
  }
  const run = cache.run;
  if (view.revealed > 0 && run) {
    const shown = phasesShown(run);
    parts.push(`Results: phase ${shown} of ${run.phases.length} (${run.phases[shown - 1].name})`);
  }
  $('cursor').textContent = parts.join(' · ');
}

// ---------------------------------------------------------------- actions

// Actions run one after another (an animation still playing is cut to its end when the
// next starts); each counts itself in data-done once its animation is over.
function act(action) {
  queue = queue.then(async () => {
    const gen = generation;
    clearError();
    let shown = null;
    try {
      shown = await action(gen);
    } catch (e) {
      showError(e.message);
    }
    Promise.resolve(shown && shown.animation).then(() => {
      document.body.dataset.done = String(++doneCount);
    });
  });
}

const nextFrame = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));

async function getRun(gen) {
  if (cache.run) return cache.run;
  status('Running…');
  await nextFrame();
  const t0 = performance.now();
  const answer = await ask({ op: 'run', ...settings() });
  if (gen !== generation) return null;
  if (answer.error) { showError(answer.error); return null; }
  const run = answer.ok;
  cache.run = run;
  cache.ranText = `Ran ${run.groups.length} groups x ${run.subjects} subjects in ${seconds(performance.now() - t0)} s`;
  if (run.kind === 'lab') {
    cache.layout = run;
    document.body.dataset.lastRun = JSON.stringify(run.test);
  }
  status(cache.ranText);
  return run;
}

// The phases and trials to step through: those of the run if there is one, else of a
// run of one subject per group.
async function getLayout(gen) {
  if (cache.layout) return cache.layout;
  if (cache.run) return (cache.layout = cache.run);
  const answer = await ask({ op: 'run', ...settings(), subjects: 1 });
  if (gen !== generation) return null;
  if (answer.error) { showError(answer.error); return null; }
  return (cache.layout = answer.ok);
}

function groupColour(index) {
  return meta.palette[index % meta.palette.length];
}

// Total units (lab: trials, life: weeks) up to the end of phase `count`.
function unitsTo(run, count) {
  return run.phases.slice(0, count).reduce((sum, p) => sum + (run.kind === 'lab' ? p.trials : p.weeks), 0);
}

function phasesShown(run) {
  let n = 0;
  while (n < run.phases.length && unitsTo(run, n + 1) <= view.revealed) n++;
  return Math.max(1, n);
}

async function reveal(gen, all) {
  const run = await getRun(gen);
  if (!run) return null;
  const total = unitsTo(run, run.phases.length);
  const from = view.revealed;
  let to = total;
  if (!all) {
    let p = 0;
    while (p < run.phases.length && unitsTo(run, p + 1) <= from) p++;
    if (p >= run.phases.length) {
      status('Every phase is shown; press Reset to start again.');
      return null;
    }
    to = unitsTo(run, p + 1);
  }
  if (from >= total) {
    status('Every phase is shown; press Reset to start again.');
    return null;
  }
  $('run-view').hidden = false;
  $('hint').hidden = true;
  const lab = run.kind === 'lab';
  $('lab-charts').hidden = !lab;
  $('life-view').hidden = lab;
  drawLegend(run);
  const draw = (units) => (lab ? drawLab(run, units) : drawLife(run, units));
  view.revealed = to;
  showCursor();
  status(`${cache.ranText}; shown: ${run.phases.slice(0, phasesShown(run)).map((p) => p.name).join(', ')}.`);
  return { animation: animate(REVEAL_MS, (f) => draw(from + (to - from) * f)) };
}

async function step(gen) {
  if (scenario.kind !== 'lab') return null;
  const layout = await getLayout(gen);
  if (!layout) return null;
  let { phase, trial } = view;
  trial += 1;
  if (trial > layout.phases[phase].trials) { phase += 1; trial = 1; }
  while (phase < layout.phases.length && layout.phases[phase].trials === 0) phase++;
  if (phase >= layout.phases.length) {
    status('That was the last trial; press Reset to start again.');
    return null;
  }
  const name = layout.phases[phase].name;
  const answer = await ask({ op: 'step', ...settings(), phase: name, trial });
  if (gen !== generation) return null;
  if (answer.error) { showError(answer.error); return null; }
  Object.assign(view, { phase, trial });
  showCursor();
  $('step-view').hidden = false;
  $('hint').hidden = true;
  const s = answer.ok;
  $('step-heading').textContent = `Phase ${name}, trial ${trial} of ${s.trials ?? layout.phases[phase].trials}: subject 1 of each group`;
  status(`Phase ${name}, trial ${trial}: ${s.subjects.map(stepSummary).join('; ')}.`);
  return { animation: animate(STEP_MS, drawStep(s, layout)) };
}

function stepSummary(subject) {
  if (!subject.takes_part) return `${subject.group} in the home cage`;
  const r = subject.record;
  return `${subject.group} ${r.escaped ? `escaped after ${r.latency_s.toFixed(1)} s` : `did not escape (${r.shock_s.toFixed(1)} s of shock)`}`;
}

async function exportFile(gen, which) {
  if (!cache.exported) {
    status('Preparing the export…');
    await nextFrame();
    const answer = await ask({ op: 'export', ...settings() });
    if (gen !== generation) return null;
    if (answer.error) { showError(answer.error); return null; }
    cache.exported = answer.ok;
  }
  const e = cache.exported;
  const [text, name, type] = which === 'records'
    ? [e.records, e.records_name, 'text/csv']
    : [e.toml, e.toml_name, 'application/toml'];
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60000);
  $('cli-line').textContent = `helplessness run ${e.toml_name} --out run`;
  status(`Saved ${name} (${new Blob([text]).size.toLocaleString('en')} bytes).`);
  return null;
}

// ---------------------------------------------------------------- animation

function finishAnimation() {
  if (animation) animation.finish();
}

// Calls draw(f) for f from 0 to 1 over `ms`; under reduced motion only draw(1).
// Resolves when done, or at once (after drawing the end) when another action starts.
function animate(ms, draw) {
  finishAnimation();
  if (reducedMotion.matches) { draw(1); return Promise.resolve(); }
  return new Promise((resolve) => {
    const t0 = performance.now();
    let id = 0;
    const me = {
      finish() { cancelAnimationFrame(id); draw(1); animation = null; resolve(); },
    };
    const tick = (now) => {
      const f = Math.min(1, (now - t0) / ms);
      if (f >= 1) { me.finish(); return; }
      draw(f);
      id = requestAnimationFrame(tick);
    };
    animation = me;
    draw(0);
    id = requestAnimationFrame(tick);
  });
}

// ---------------------------------------------------------------- SVG helpers

function esc(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

const scale = (d0, d1, r0, r1) => (v) => r0 + ((v - d0) * (r1 - r0)) / ((d1 - d0) || 1);
const num = (v) => (Math.round(v * 10) / 10).toString();
const pointsOf = (pts) => pts.map(([x, y]) => `${num(x)},${num(y)}`).join(' ');
const pathOf = (pts) => {
  const ok = pts.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  return ok.length ? `M${pointsOf(ok).replaceAll(' ', ' L')}` : '';
};

function niceTicks(lo, hi, count) {
  const span = hi - lo || 1;
  const raw = span / count;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => span / s <= count) || 10 * mag;
  const ticks = [];
  for (let v = Math.ceil(lo / step - 1e-9) * step; v <= hi + 1e-9; v += step) ticks.push(Math.round(v * 1e6) / 1e6);
  return ticks;
}

// Axes, grid, tick labels and phase boundaries; returns the scales and the markup.
// Phase names sit above the plot, in as many rows as they need not to collide.
function frame(o) {
  const { w, h } = o;
  const fs = o.font || 16;
  const sx = scale(o.x[0], o.x[1], o.m.l, w - o.m.r);
  const rowEnds = [];
  const labels = (o.phases || []).map((p) => {
    const x = sx(p.at);
    let row = rowEnds.findIndex((end) => end <= x);
    if (row < 0) row = rowEnds.push(0) - 1;
    rowEnds[row] = x + p.name.length * fs * 0.6 + 12;
    return { x, row, name: p.name };
  });
  const m = { ...o.m, t: o.m.t + Math.max(0, rowEnds.length - 1) * (fs + 3) };
  const sy = scale(o.y[0], o.y[1], h - m.b, m.t);
  const text = (x, y, body, extra = '') =>
    `<text class="tick-label" style="font-size:${fs}px" x="${num(x)}" y="${num(y)}" ${extra}>${esc(body)}</text>`;
  let s = '';
  for (const v of o.yTicks) {
    s += `<line class="grid" x1="${num(m.l)}" x2="${num(w - m.r)}" y1="${num(sy(v))}" y2="${num(sy(v))}"/>`;
    if (o.yTickLabels !== false) s += text(m.l - 6, sy(v) + fs / 3, o.yFmt ? o.yFmt(v) : v, 'text-anchor="end"');
  }
  let lastX = -Infinity;
  for (const [v, label] of o.xTicks) {
    const x = sx(v);
    if (x - lastX < fs * 2.2) continue;
    lastX = x;
    s += `<line class="axis" x1="${num(x)}" x2="${num(x)}" y1="${h - m.b}" y2="${h - m.b + 5}"/>`;
    s += text(x, h - m.b + 6 + fs, label, 'text-anchor="middle"');
  }
  s += o.yTickLabels === false
    ? `<path class="axis" d="M${num(m.l)},${h - m.b} H${num(w - m.r)}"/>`
    : `<path class="axis" d="M${num(m.l)},${m.t} V${h - m.b} H${num(w - m.r)}"/>`;
  if (o.xLabel) s += text((m.l + w - m.r) / 2, h - 5, o.xLabel, 'text-anchor="middle"');
  if (o.yLabel) s += `<text class="tick-label" style="font-size:${fs}px" transform="translate(${fs + 2},${num((m.t + h - m.b) / 2)}) rotate(-90)" text-anchor="middle">${esc(o.yLabel)}</text>`;
  labels.forEach(({ x, row, name }, i) => {
    if (i > 0) s += `<line class="phase-line" x1="${num(x)}" x2="${num(x)}" y1="${m.t - 4 - row * (fs + 3) - fs}" y2="${h - m.b}"/>`;
    s += `<text class="phase-label" style="font-size:${fs}px" x="${num(x + 4)}" y="${m.t - 6 - row * (fs + 3)}">${esc(name)}</text>`;
  });
  return { sx, sy, s, m };
}

function drawLegend(run) {
  const items = run.groups.map((name, g) => {
    const cell = run.kind === 'lab' ? (run.cells[g] || []).find((c) => c) : null;
    const n = cell ? ` (n = ${cell.n})` : '';
    return `<span><i style="--c:${groupColour(g)}"></i>${esc(name)}${n}</span>`;
  });
  $('legend').innerHTML = items.join('');
}

// ---------------------------------------------------------------- lab charts

// Lines of later groups are drawn thinner, so that curves lying on top of each other
// (a yoked group and its master in the stress phase) both stay visible.
const seriesWidth = (g) => Math.max(2, 4.5 - 1.25 * g);

// Widths of the phases' stretches of the x axis: in proportion to their trials, but
// never narrower than the phase's name.
function phaseWidths(run, room, fs) {
  const total = unitsTo(run, run.phases.length) || 1;
  const least = run.phases.map((p) => p.name.length * fs * 0.6 + 12);
  let widths = run.phases.map((p, i) => Math.max(least[i], (room * p.trials) / total));
  const over = widths.reduce((a, b) => a + b, 0) - room;
  if (over > 0) {
    const slack = widths.map((w, i) => w - least[i]);
    const totalSlack = slack.reduce((a, b) => a + b, 0) || 1;
    widths = widths.map((w, i) => w - (over * slack[i]) / totalSlack);
  }
  return widths;
}

// Mean escape latency by trial, phases in order. Phases share one latency axis when
// their cut-offs are alike; otherwise each has its own, from 0 to its cut-off.
function drawLab(run, shownTrials) {
  const W = 960, H = 440, fs = 16;
  const m = { l: 70, r: 16, t: 30, b: 60 };
  const cutoffs = run.phases.map((p) => p.cutoff_s || 1);
  const shared = Math.max(...cutoffs) <= 1.5 * Math.min(...cutoffs);
  const gap = shared ? 0 : 64;
  const widths = phaseWidths(run, W - m.l - m.r - gap * (run.phases.length - 1), fs);
  let s = '', bands = '', lines = '';
  let x0 = m.l;
  run.phases.forEach((p, pi) => {
    const start = unitsTo(run, pi);
    const ymax = shared ? Math.max(...cutoffs) : cutoffs[pi];
    const every = niceTicks(0, p.trials, Math.max(1, Math.floor(widths[pi] / 90)))[1] || p.trials;
    const xTicks = [[start + 1, '1']];
    // The last tick of a phase would crowd the first of the next.
    const last = pi < run.phases.length - 1 ? p.trials - (p.trials * 2.2 * fs) / widths[pi] : p.trials;
    for (let k = every; k <= last; k += every) if (k > 1) xTicks.push([start + k, String(k)]);
    const f = frame({
      w: W, h: H, m: { ...m, l: x0, r: W - x0 - widths[pi] }, x: [start + 0.5, start + p.trials + 0.5],
      y: [0, ymax], yTicks: niceTicks(0, ymax, 6), yTickLabels: pi === 0 || !shared, xTicks,
      phases: [{ at: start + 0.5, name: p.name }], yLabel: pi === 0 ? 'mean escape latency (s)' : '', font: fs,
    });
    s += f.s;
    if (pi > 0 && shared) s += `<line class="phase-line" x1="${num(x0)}" x2="${num(x0)}" y1="${m.t - fs - 4}" y2="${H - m.b}"/>`;
    if (p.cutoff_s && p.cutoff_s < ymax) {
      s += `<line class="grid" stroke-dasharray="3 3" x1="${num(x0)}" x2="${num(x0 + widths[pi])}" y1="${num(f.sy(p.cutoff_s))}" y2="${num(f.sy(p.cutoff_s))}"/>`;
    }
    run.groups.forEach((_, g) => {
      const cell = run.cells[g] && run.cells[g][pi];
      const k = cell ? Math.min(cell.latency.length, Math.floor(shownTrials - start)) : 0;
      if (k <= 0) return;
      const colour = groupColour(g);
      const mid = [], upper = [], lower = [];
      for (let i = 0; i < k; i++) {
        const x = f.sx(start + i + 1), y = Math.min(ymax, cell.latency[i]), e = (cell.sem && cell.sem[i]) || 0;
        mid.push([x, f.sy(y)]);
        upper.push([x, f.sy(Math.min(ymax, y + e))]);
        lower.push([x, f.sy(Math.max(0, y - e))]);
      }
      if (k > 1) bands += `<polygon class="band" fill="${colour}" points="${pointsOf(upper.concat(lower.reverse()))}"/>`;
      lines += k > 1
        ? `<path class="series" stroke="${colour}" style="stroke-width:${seriesWidth(g)}px" d="${pathOf(mid)}"/>`
        : `<circle cx="${num(mid[0][0])}" cy="${num(mid[0][1])}" r="4" fill="${colour}"/>`;
    });
    x0 += widths[pi] + gap;
  });
  s += `<text class="tick-label" style="font-size:${fs}px" x="${(m.l + W - m.r) / 2}" y="${H - 5}" text-anchor="middle">trial (numbered within each phase)</text>`;
  const svg = $('latency-chart');
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  svg.innerHTML = s + bands + lines;
  drawFailing(run, shownTrials);
}

function drawFailing(run, shownTrials) {
  const W = 320, H = 440;
  const scored = run.phases.map((p, i) => i).filter((pi) => run.failing.some((row) => row && row[pi] !== null && row[pi] !== undefined));
  const svg = $('failing-chart');
  svg.setAttribute('viewBox', `0 0 ${W} ${H}`);
  if (scored.length === 0) {
    svg.innerHTML = `<text class="tick-label" style="font-size:16px" x="${W / 2}" y="${H / 2}" text-anchor="middle">no failure criterion</text>`;
    return;
  }
  const f = frame({
    w: W, h: H, m: { l: 62, r: 8, t: 30, b: 60 }, x: [0, scored.length], y: [0, 1],
    yTicks: [0, 0.25, 0.5, 0.75, 1], yFmt: (v) => `${Math.round(v * 100)} %`, xTicks: [],
  });
  const m = f.m;
  let s = f.s;
  const slot = (W - m.l - m.r) / scored.length;
  const bar = (slot * 0.8) / run.groups.length;
  scored.forEach((pi, j) => {
    const x0 = m.l + j * slot + slot * 0.1;
    const words = run.phases[pi].name.length * 9 > slot ? run.phases[pi].name.split(/(?<=-)/) : [run.phases[pi].name];
    s += words.map((word, i) => `<text class="phase-label" style="font-size:16px" x="${num(m.l + (j + 0.5) * slot)}" y="${H - m.b + 22 + i * 18}" text-anchor="middle">${esc(word)}</text>`).join('');
    if (shownTrials < unitsTo(run, pi + 1)) return;
    run.groups.forEach((name, g) => {
      const v = run.failing[g] && run.failing[g][pi];
      if (v === null || v === undefined) return;
      const x = x0 + g * bar, y = f.sy(v);
      s += `<rect x="${num(x + 1)}" y="${num(y)}" width="${num(bar - 2)}" height="${num(f.sy(0) - y)}" fill="${groupColour(g)}"><title>${esc(name)}: ${Math.round(v * 100)} %</title></rect>`;
      s += `<text class="tick-label" style="font-size:15px" x="${num(x + bar / 2)}" y="${num(y - 6)}" text-anchor="middle">${Math.round(v * 100)} %</text>`;
    });
  });
  svg.innerHTML = s;
}

// ---------------------------------------------------------------- life charts

function drawLife(run, shownWeeks) {
  const weeks = unitsTo(run, run.phases.length);
  const phases = run.phases.map((p, i) => ({ at: unitsTo(run, i) + 0.5, name: p.name }));
  const xTicks = niceTicks(0, weeks, 8).filter((v) => v >= 1).map((v) => [v, String(v)]);
  const chart = (title, seriesList) => {
    const W = 420, H = 270;
    const f = frame({
      w: W, h: H, m: { l: 50, r: 10, t: 30, b: 46 }, x: [0.5, weeks + 0.5], y: [0, 1],
      yTicks: [0, 0.25, 0.5, 0.75, 1], xTicks, phases, xLabel: 'week', font: 15,
    });
    const lines = seriesList.map(({ g, week, value }) => {
      const pts = [];
      for (let i = 0; i < week.length && week[i] <= shownWeeks; i++) pts.push([f.sx(week[i]), f.sy(value[i])]);
      return pts.length > 1 ? `<path class="series" stroke="${groupColour(g)}" style="stroke-width:${seriesWidth(g) * 0.8}px" d="${pathOf(pts)}"/>` : '';
    });
    return `<figure><figcaption>${esc(title)}</figcaption><svg viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(title)}">${f.s}${lines.join('')}</svg></figure>`;
  };
  $('life-chart').innerHTML = run.domains.map((domain, d) => chart(`Expectation of control: ${domain}`, run.series
    .filter((s) => s.domain === d)
    .map((s) => ({ g: s.group, week: s.week, value: s.expectation })))).join('');
  const helpless = run.groups.map((_, g) => {
    const mine = run.series.filter((s) => s.group === g);
    if (mine.length === 0) return null;
    const value = mine[0].week.map((_, i) => mine.reduce((sum, s) => sum + (s.helpless[i] || 0), 0) / mine.length);
    return { g, week: mine[0].week, value };
  }).filter(Boolean);
  $('helpless-chart').innerHTML = chart('Share helpless (mean over domains)', helpless);
}

// ---------------------------------------------------------------- one trial

// Draws one panel per subject and returns the frame function that plays the trial.
function drawStep(s, layout) {
  const groups = layout.groups || scenario.step_groups;
  const colourOf = (name, i) => groupColour(groups.includes(name) ? groups.indexOf(name) : i);
  let tmax = 0;
  for (const sub of s.subjects) {
    if (!sub.takes_part || !sub.record) continue;
    const t = sub.trace && sub.trace.t.length ? sub.trace.t[sub.trace.t.length - 1] : 0;
    tmax = Math.max(tmax, t, sub.record.shock_s, sub.record.latency_s);
  }
  tmax = tmax || 1;
  const variables = new Map((s.variables || []).map((v) => [v.name, v]));
  // One range per variable over all panels, so that panels compare at a glance.
  const ranges = new Map((s.shown || []).map((name) => [name, traceRange(s.subjects
    .flatMap((sub) => (sub.trace && sub.trace.values[name]) || []))]));
  const frames = [];
  const panels = s.subjects.map((sub, i) => {
    const panel = document.createElement('article');
    panel.className = 'subject-panel';
    panel.style.setProperty('--group', colourOf(sub.group, i));
    const colour = colourOf(sub.group, i);
    if (!sub.takes_part || !sub.record) {
      panel.innerHTML = `<h3>${esc(sub.group)}</h3>${homeCageSvg(colour)}<p>Sits this phase out in its home cage: no shock, no test.</p>`;
      return panel;
    }
    const r = sub.record;
    panel.innerHTML = `<h3>${esc(sub.group)}</h3>${apparatusSvg(colour, r, sub.trace, tmax)}
      <dl class="numbers">
        <dt>shock</dt><dd>${r.shock_s.toFixed(2)} s</dd>
        ${r.intensity !== undefined ? `<dt>intensity</dt><dd>${r.intensity}</dd>` : ''}
        <dt>latency</dt><dd>${r.latency_s.toFixed(2)} s</dd>
        ${r.cutoff_s ? `<dt>cut-off</dt><dd>${r.cutoff_s} s</dd>` : ''}
        <dt>escaped</dt><dd>${r.escaped ? 'yes' : 'no'}</dd>
        <dt>attempts</dt><dd>${r.responses}</dd>
      </dl>
      <div class="traces">${sub.trace ? (s.shown || []).map((name, k) =>
        traceSvg(variables.get(name) || { name }, sub.trace, ranges.get(name), colour, tmax, `clip-${i}-${k}`)).join('') : ''}</div>`;
    frames.push(trialPlayer(panel, r, sub.trace, tmax));
    return panel;
  });
  $('step-panels').replaceChildren(...panels);
  return (f) => frames.forEach((play) => play(f * tmax));
}

const BOX = { x: 10, y: 8, w: 300, h: 96, floor: 104 };

function subjectShape(colour) {
  // A rat seen from the side: body, head, ear, eye and tail.
  return `<g class="subject"><path d="M-26,0 C-40,-2 -46,6 -58,4" stroke="${colour}" stroke-width="3" fill="none"/>
    <ellipse cx="0" cy="-12" rx="28" ry="14" fill="${colour}"/>
    <circle cx="26" cy="-18" r="10" fill="${colour}"/><circle cx="22" cy="-28" r="5" fill="${colour}"/>
    <circle cx="30" cy="-20" r="2" fill="#fff"/></g>`;
}

function apparatusSvg(colour, r, trace, tmax) {
  const bar = scale(0, tmax, 20, 300);
  const zig = [];
  for (let x = BOX.x + 6, k = 0; x <= BOX.x + BOX.w - 6; x += 12, k++) zig.push([x, BOX.floor + (k % 2 ? 8 : 2)]);
  const attempts = (trace ? trace.attempts : []).map((t, k) =>
    `<line class="attempt" data-t="${t}" data-k="${k}" x1="${num(bar(t))}" x2="${num(bar(t))}" y1="126" y2="142"/>`).join('');
  return `<svg class="apparatus" viewBox="0 0 320 168" role="img" aria-label="the subject in its apparatus">
    <rect x="${BOX.x}" y="${BOX.y}" width="${BOX.w}" height="${BOX.h}" fill="#f4f4f0" stroke="#333" stroke-width="2"/>
    <rect x="156" y="64" width="8" height="${BOX.floor - 64}" fill="#777"/>
    <g class="shock-floor" opacity="0">
      <polyline points="${pointsOf(zig)}" fill="none" stroke="${SHOCK_COLOUR}" stroke-width="3"/>
      <path d="M150,14 l-10,22 h9 l-6,20 l18,-27 h-9 l7,-15 z" fill="#F0E442" stroke="${SHOCK_COLOUR}" stroke-width="2"/>
    </g>
    <g class="rat" transform="translate(80,${BOX.floor - 2})">${subjectShape(colour)}</g>
    <rect x="20" y="130" width="280" height="8" fill="#e6e6e6"/>
    <rect x="20" y="130" width="${num(bar(r.shock_s) - 20)}" height="8" fill="${SHOCK_COLOUR}" opacity="0.35"/>
    ${r.escaped ? `<line x1="${num(bar(r.latency_s))}" x2="${num(bar(r.latency_s))}" y1="122" y2="146" stroke="#009E73" stroke-width="3"/>` : ''}
    <g class="attempts">${attempts}</g>
    <line class="now" x1="20" x2="20" y1="122" y2="146" stroke="#000" stroke-width="2"/>
    <text class="tick-label" style="font-size:15px" x="20" y="164">0 s</text>
    <text class="tick-label" style="font-size:15px" x="300" y="164" text-anchor="end">${tmax.toFixed(1)} s</text>
    <line class="attempt" x1="96" x2="96" y1="152" y2="166"/><text class="tick-label" style="font-size:15px" x="101" y="164">attempt</text>
    <rect x="170" y="155" width="18" height="8" fill="${SHOCK_COLOUR}" opacity="0.35"/><text class="tick-label" style="font-size:15px" x="192" y="164">shock</text>
  </svg>`;
}

function homeCageSvg(colour) {
  return `<svg class="apparatus" viewBox="0 0 320 168" role="img" aria-label="home cage">
    <rect x="60" y="30" width="200" height="74" fill="#f4f4f0" stroke="#333" stroke-width="2"/>
    ${Array.from({ length: 9 }, (_, k) => `<line x1="${80 + k * 20}" x2="${80 + k * 20}" y1="30" y2="104" stroke="#bbb"/>`).join('')}
    <g transform="translate(150,102) scale(0.8)">${subjectShape(colour)}</g>
    <text x="160" y="140" text-anchor="middle" font-size="18" font-weight="600">home cage</text>
  </svg>`;
}

function traceRange(values) {
  let lo = Math.min(...values.filter(Number.isFinite)), hi = Math.max(...values.filter(Number.isFinite));
  if (!Number.isFinite(lo)) return [0, 1];
  if (lo >= 0 && hi <= 1) return [0, 1];
  if (lo >= -1 && hi <= 1) return [-1, 1];
  lo = Math.min(0, lo);
  const pad = (hi - lo) * 0.05 || 1;
  return [lo, hi + pad];
}

function traceSvg(variable, trace, [lo, hi], colour, tmax, clipId) {
  const W = 280, H = 100;
  const values = trace.values[variable.name] || [];
  const f = frame({
    w: W, h: H, m: { l: 38, r: 10, t: 10, b: 28 }, x: [0, tmax], y: [lo, hi], yTicks: [lo, hi],
    yFmt: (v) => num(v), xTicks: niceTicks(0, tmax, 4).map((v) => [v, `${v} s`]), font: 13,
  });
  const pts = values.map((v, i) => [f.sx(trace.t[i]), f.sy(v)]);
  const ticks = trace.attempts.map((t) => `<line stroke="#000" stroke-width="1.5" x1="${num(f.sx(t))}" x2="${num(f.sx(t))}" y1="${H - 28}" y2="${H - 36}"/>`).join('');
  const title = `${variable.description || variable.name} (${variable.name})`;
  return `<figure class="trace-figure"><figcaption>${esc(title)}</figcaption>
    <svg class="trace" viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(title)} against time since shock onset">${f.s}
    <clipPath id="${clipId}"><rect class="reveal" data-x0="${num(f.sx(0))}" data-x1="${num(f.sx(tmax))}" x="0" y="0" width="${W}" height="${H}"/></clipPath>
    <g clip-path="url(#${clipId})"><path class="series" stroke="${colour}" d="${pathOf(pts)}"/>${ticks}</g>
  </svg></figure>`;
}

// Returns the function that shows the trial at time t (s since onset).
function trialPlayer(panel, r, trace, tmax) {
  const rat = panel.querySelector('.rat');
  const floor = panel.querySelector('.shock-floor');
  const now = panel.querySelector('.now');
  const attempts = [...panel.querySelectorAll('.attempts .attempt')];
  const clips = [...panel.querySelectorAll('.trace .reveal')].map((rect) =>
    ({ rect, sx: scale(0, tmax, Number(rect.dataset.x0), Number(rect.dataset.x1)) }));
  const bar = scale(0, tmax, 20, 300);
  const times = trace ? trace.attempts : [];
  return (t) => {
    const end = t >= tmax - 1e-9;
    const across = r.escaped && t >= r.latency_s;
    const hop = !end && times.some((a) => t >= a && t - a < tmax * 0.04) ? -8 : 0;
    rat.setAttribute('transform', across
      ? `translate(236,${BOX.floor - 2})`
      : `translate(80,${BOX.floor - 2 + hop})`);
    floor.setAttribute('opacity', !end && t < r.shock_s ? '1' : '0');
    now.setAttribute('x1', num(bar(t)));
    now.setAttribute('x2', num(bar(t)));
    for (const a of attempts) {
      const seen = Number(a.dataset.t) <= t;
      if (seen && a.style.visibility === 'hidden' && !end) {
        a.classList.remove('flash');
        a.getBoundingClientRect();
        a.classList.add('flash');
      }
      a.style.visibility = seen ? 'visible' : 'hidden';
    }
    for (const c of clips) c.rect.setAttribute('width', num(Math.max(0, c.sx(t))));
  };
}

// ---------------------------------------------------------------- wiring

function isTyping(target) {
  return target instanceof HTMLElement && (target.matches('input, select, textarea') || target.isContentEditable);
}

function wire() {
  $('scenario').addEventListener('change', () => pickScenario($('scenario').value));
  for (const id of ['seed', 'subjects']) {
    $(id).addEventListener('change', () => { settings(); settingsChanged(); });
  }
  $('step').addEventListener('click', () => act(step));
  $('run-phase').addEventListener('click', () => act((gen) => reveal(gen, false)));
  $('run-all').addEventListener('click', () => act((gen) => reveal(gen, true)));
  $('reset').addEventListener('click', () => act(async () => { resetDisplay(); status('Reset: back to the start.'); }));
  $('export-records').addEventListener('click', () => act((gen) => exportFile(gen, 'records')));
  $('export-protocol').addEventListener('click', () => act((gen) => exportFile(gen, 'protocol')));
  document.addEventListener('keydown', (e) => {
    if (e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target) || !scenario) return;
    const button = { s: 'step', p: 'run-phase', a: 'run-all', r: 'reset' }[e.key.toLowerCase()];
    if (!button || $(button).disabled) return;
    e.preventDefault();
    $(button).click();
  });
}

async function start() {
  wire();
  try {
    await loadModule();
    const answer = await ask({ op: 'scenarios' });
    if (answer.error) throw new Error(answer.error);
    meta = answer.ok;
    $('version').textContent = `version ${meta.version}`;
    const select = $('scenario');
    select.innerHTML = meta.scenarios.map((s) =>
      `<option value="${esc(s.id)}" data-kind="${esc(s.kind)}">${esc(s.title)}</option>`).join('');
    select.disabled = false;
    pickScenario(meta.scenarios[0].id);
    status('Ready. Pick a scenario, then Step, Run phase or Run all.');
    document.body.dataset.ready = '1';
  } catch (e) {
    showError(`the simulator could not start: ${e.message}`);
  }
}

start();
