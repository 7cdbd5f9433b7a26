// The Lifeboat page: a small hand-written front end over the JSON API (no build step).
"use strict";

const $ = (sel, root = document) => root.querySelector(sel);
const state = { schema: null, scenario: null, toml: "", scenarioId: null, builtinId: null, job: null };

// ---- helpers ------------------------------------------------------------------------------

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined) continue;
    node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return node;
}

class ApiError extends Error {
  constructor(body) { super(body.error || "request failed"); this.body = body; }
}

async function api(url, options = {}) {
  const response = await fetch(url, options);
  const type = response.headers.get("content-type") || "";
  const body = type.includes("json") ? await response.json() : await response.text();
  if (!response.ok) throw new ApiError(typeof body === "object" ? body : { error: body });
  return body;
}

function showAlert(message) {
  const box = $("#alert");
  box.textContent = message;
  box.hidden = !message;
}

function fmt(x, digits = 1) {
  if (x === null || x === undefined) return "–";
  if (typeof x === "object" && "mean" in x) x = x.mean;  // {mean, mc_se, p05, p50, p95}
  return typeof x === "number" ? x.toFixed(digits) : String(x);
}
const mean = (x) => (x !== null && typeof x === "object" && "mean" in x ? x.mean : x);
// A risk metric of a result: {mean, mc_se[, p05, p50, p95]}.
const metric = (r, name) => r.metrics?.[name] ?? null;
// "mean (p05 – p95)" over input draws, or "mean ± 1.96 MC error" for point inputs.
function band(m, digits) {
  if (!m || m.mean === null || m.mean === undefined) return "–";
  const f = (v) => (digits === "e" ? v.toExponential(2) : v.toFixed(digits));
  if ("p05" in m) return `${f(m.mean)} (${f(m.p05)} – ${f(m.p95)})`;
  return m.mc_se ? `${f(m.mean)} ± ${f(1.96 * m.mc_se)}` : f(m.mean);
}
const when = (t) => (t ? t.replace("T", " ").replace(/:\d\dZ$/, " UTC") : "–");

function table(headers, rows) {
  return el("table", {}, el("tr", {}, headers.map((h) => el("th", { text: h }))),
    rows.map((r) => el("tr", {}, r.map((c) => (c instanceof Node ? el("td", {}, c)
      : el("td", { class: typeof c === "number" ? "num" : null, text: c ?? "–" }))))));
}

function plot(id, figure) {
  const node = document.getElementById(id);
  if (!node) return;
  if (!figure) { node.hidden = true; return; }
  node.hidden = false;
  window.Plotly.react(node, figure.data, figure.layout, { displaylogo: false, responsive: true });
}

async function poll(job, bar, label) {
  // Polls a job until it finishes, showing its progress; returns the final status.
  bar.hidden = false;
  const progress = $("progress", bar);
  const text = $("span", bar);
  while (job.status === "queued" || job.status === "running") {
    if (job.total > 0) { progress.max = job.total; progress.value = job.done; }
    else progress.removeAttribute("value");
    text.textContent = job.status === "queued"
      ? `${label}: queued (${job.queued_ahead} ahead)`
      : `${label}: running, ${job.elapsed_s.toFixed(1)} s` +
        (job.total > 0 ? `, ${Math.round((100 * job.done) / job.total)} %` : "");
    await new Promise((r) => setTimeout(r, 300));
    job = await api(`/api/jobs/${job.id}`);
  }
  bar.hidden = true;
  if (job.status === "failed") throw new ApiError(job.error);
  return job;
}

// ---- tabs ---------------------------------------------------------------------------------

function showTab(name) {
  for (const tab of document.querySelectorAll(".tab")) tab.hidden = tab.id !== `tab-${name}`;
  for (const a of document.querySelectorAll("nav a[data-tab]")) a.classList.toggle("active", a.dataset.tab === name);
  if (name === "compare") loadArchitectures();
  if (name === "history") loadIncidents();
}

// ---- the scenario form, generated from the JSON Schema ----------------------------------

function resolve(schema) {
  if (schema && schema.$ref) return resolve(state.schema.$defs[schema.$ref.split("/").pop()]);
  if (schema && schema.anyOf) {
    const real = schema.anyOf.find((s) => s.type !== "null");
    return { ...resolve(real), nullable: true, title: schema.title, default: schema.default };
  }
  return schema || {};
}

function getAt(obj, path) {
  return path.reduce((o, k) => (o === undefined || o === null ? undefined : o[k]), obj);
}
function setAt(obj, path, value) {
  let node = obj;
  path.slice(0, -1).forEach((k, i) => {
    if (node[k] === undefined || node[k] === null) node[k] = typeof path[i + 1] === "number" ? [] : {};
    node = node[k];
  });
  const last = path[path.length - 1];
  if (value === undefined) delete node[last]; else node[last] = value;
}
function pathText(path) {
  return path.reduce((s, k) => (typeof k === "number" ? `${s}[${k}]` : s ? `${s}.${k}` : k), "");
}

function defaultFor(schema) {
  const s = resolve(schema);
  if (s.type === "object") {
    const out = {};
    for (const key of s.required || []) out[key] = defaultFor(s.properties[key]);
    return out;
  }
  if (s.enum) return s.enum[0];
  if (s.type === "array") return [];
  if (s.type === "boolean") return false;
  if (s.type === "number" || s.type === "integer") return 0;
  if (s.format === "date-time") return state.scenario?.epoch_utc || "2025-01-01T00:00:00Z";
  return "";
}

function scalarInput(s, path, value) {
  const id = "f-" + pathText(path).replace(/[^a-zA-Z0-9]+/g, "-");
  let input;
  if (s.enum) {
    input = el("select", { id }, (s.nullable ? [""] : []).concat(s.enum).map((v) =>
      el("option", { value: v, text: v === "" ? "(none)" : v, selected: v === (value ?? "") })));
  } else if (s.type === "boolean") {
    input = el("input", { id, type: "checkbox", checked: !!value });
  } else if (s.type === "array") {  // arrays of scalars or pairs: edited as JSON
    input = el("input", { id, type: "text", value: value === undefined || value === null ? "" : JSON.stringify(value) });
  } else if (s.type === "string" && (path[path.length - 1] === "description")) {
    input = el("textarea", { id, rows: 3 });
    input.value = value ?? "";
  } else {
    const numeric = s.type === "number" || s.type === "integer";
    input = el("input", { id, type: numeric ? "number" : "text", step: numeric ? "any" : null,
      value: value === undefined || value === null ? "" : value,
      placeholder: s.format === "date-time" ? "YYYY-MM-DDTHH:MM:SSZ" : null });
  }
  input.dataset.path = pathText(path);
  input.addEventListener("change", () => {
    let v;
    if (s.type === "boolean") v = input.checked;
    else if (input.value === "") v = undefined;
    else if (s.type === "number") v = Number(input.value);
    else if (s.type === "integer") v = Number.parseInt(input.value, 10);
    else if (s.type === "array") { try { v = JSON.parse(input.value); } catch { v = input.value; } }
    else v = input.value;
    setAt(state.scenario, path, v);
    formChanged();
  });
  return el("div", { class: "field" }, el("label", { for: id, text: s.title || path[path.length - 1] }),
    el("div", {}, input, el("div", { class: "field-error", hidden: true })));
}

function renderNode(schema, path, value) {
  const s = resolve(schema);
  if (s.type === "object" && s.properties) {
    const box = el("fieldset", { "data-path": pathText(path) });
    const name = path.length ? (typeof path[path.length - 1] === "number"
      ? `${pathText(path.slice(0, -1))} ${path[path.length - 1] + 1}` : path[path.length - 1]) : "scenario";
    const legend = el("legend", { text: name });
    box.append(legend);
    if (value === undefined || value === null) {
      const add = el("button", { type: "button", text: `Add ${name}` });
      add.addEventListener("click", () => { setAt(state.scenario, path, defaultFor(s)); renderForm(); formChanged(); });
      box.append(add);
      return box;
    }
    if (s.nullable && path.length) {
      const drop = el("button", { type: "button", text: "remove" });
      drop.addEventListener("click", () => { setAt(state.scenario, path, undefined); renderForm(); formChanged(); });
      legend.append(" ", drop);
    }
    for (const [key, sub] of Object.entries(s.properties)) box.append(renderNode(sub, path.concat(key), value[key]));
    box.append(el("div", { class: "field-error", hidden: true }));
    return box;
  }
  const items = s.type === "array" ? resolve(s.items) : null;
  if (items && items.type === "object") {
    const box = el("fieldset", { "data-path": pathText(path) }, el("legend", { text: path[path.length - 1] }));
    (value || []).forEach((v, i) => {
      const child = renderNode(s.items, path.concat(i), v);
      const drop = el("button", { type: "button", text: "remove" });
      drop.addEventListener("click", () => { getAt(state.scenario, path).splice(i, 1); renderForm(); formChanged(); });
      $("legend", child).append(" ", drop);
      box.append(child);
    });
    const add = el("button", { type: "button", text: `Add to ${path[path.length - 1]}` });
    add.addEventListener("click", () => {
      if (!Array.isArray(getAt(state.scenario, path))) setAt(state.scenario, path, []);
      getAt(state.scenario, path).push(defaultFor(s.items)); renderForm(); formChanged();
    });
    box.append(add, el("div", { class: "field-error", hidden: true }));
    return box;
  }
  return scalarInput(s, path, value);
}

function renderForm() {
  const pane = $("#form");
  pane.replaceChildren(state.scenario ? renderNode(state.schema, [], state.scenario) : "");
}

// ---- validation: the server checks the scenario; errors go to the field ------------------

function clearErrors() {
  for (const node of document.querySelectorAll(".invalid")) node.classList.remove("invalid");
  for (const node of document.querySelectorAll(".field-error")) { node.hidden = true; node.textContent = ""; }
}

function showValidation(error) {
  clearErrors();
  const status = $("#editor-status");
  if (!error) {
    status.textContent = "valid scenario";
    status.className = "status ok";
    $("#run").disabled = false;
    return;
  }
  status.textContent = error.error;
  status.className = "status bad";
  $("#run").disabled = true;
  const tomlError = $("#toml-error");
  tomlError.textContent = error.error;
  tomlError.hidden = false;
  // The innermost form element whose path is the error's field or contains it.
  let where = error.where || "";
  while (where) {
    const target = document.querySelector(`[data-path="${CSS.escape(where)}"]`);
    if (target) {
      target.classList.add("invalid");
      const message = target.tagName === "FIELDSET" ? $(":scope > .field-error", target) : target.parentElement.querySelector(".field-error");
      if (message) { message.textContent = error.error; message.hidden = false; }
      if (!$("#form").hidden) target.scrollIntoView({ block: "center" });
      break;
    }
    where = where.includes(".") || where.includes("[") ? where.replace(/(\.[^.[\]]+|\[\d+\])$/, "") : "";
  }
}

let checkTimer = null;
function formChanged() {
  clearTimeout(checkTimer);
  checkTimer = setTimeout(() => check({ json: state.scenario }), 250);
}
function tomlChanged() {
  clearTimeout(checkTimer);
  checkTimer = setTimeout(() => check({ toml: $("#toml").value }), 400);
}

async function check({ json, toml }) {
  const options = json !== undefined
    ? { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(json) }
    : { method: "POST", headers: { "content-type": "application/toml" }, body: toml };
  let item;
  try {
    item = await api("/api/scenarios/validate", options);
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    item = { valid: false, error: e.body };
  }
  if (!item.valid) {
    if (toml !== undefined) state.toml = toml;
    showValidation(item.error);
    return false;
  }
  if (json !== undefined) $("#toml").value = item.toml;
  else { state.scenario = item.scenario; renderForm(); }
  state.toml = item.toml;
  state.scenarioId = state.builtinId && item.toml === state.builtinToml ? state.builtinId : null;
  showValidation(null);
  return true;
}

// ---- loading scenarios -----------------------------------------------------------------

async function loadScenario(id) {
  const item = await api(`/api/scenarios/${encodeURIComponent(id)}`);
  state.scenario = item.scenario;
  state.toml = item.toml;
  state.builtinId = item.builtin ? item.id : null;
  state.builtinToml = item.builtin ? item.toml : null;
  state.scenarioId = item.id;
  $("#toml").value = item.toml;
  renderForm();
  showValidation(null);
  updateShare();
}

async function uploadFile(file) {
  const text = await file.text();
  state.builtinId = null;
  state.scenarioId = null;
  $("#toml").value = text;
  showEditor("toml");
  const ok = await check({ toml: text });
  $("#editor-status").textContent = ok ? `${file.name}: valid scenario` : $("#editor-status").textContent;
}

function updateShare() {
  const params = new URLSearchParams();
  if (state.scenarioId) params.set("scenario", state.scenarioId);
  params.set("trials", $("#trials").value);
  params.set("seed", $("#seed").value);
  params.set("run", "1");
  $("#share").href = `/?${params}#assess`;
  $("#share").hidden = !state.scenarioId;
}

function showEditor(which) {
  for (const b of document.querySelectorAll(".editor-tab")) b.classList.toggle("active", b.dataset.editor === which);
  $("#form").hidden = which !== "form";
  $("#toml-pane").hidden = which !== "toml";
}

// ---- running the assessment -------------------------------------------------------------

async function runAssessment() {
  showAlert("");
  $("#run").disabled = true;
  try {
    if (!state.scenarioId) {
      const stored = await api("/api/scenarios", { method: "POST", headers: { "content-type": "application/toml" }, body: $("#toml").value });
      state.scenarioId = stored.id;
      const select = $("#scenario-select");
      if (![...select.options].some((o) => o.value === stored.id)) {
        select.append(el("option", { value: stored.id, text: `${stored.title} (uploaded)` }));
      }
      select.value = stored.id;
    }
    updateShare();
    const request = { kind: "assess", scenario: state.scenarioId,
      trials: Number.parseInt($("#trials").value, 10), seed: Number.parseInt($("#seed").value, 10) };
    let job = await api("/api/jobs", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(request) });
    job = await poll(job, $("#assess-progress"), "assessment");
    const [result, figures, summary] = await Promise.all([api(job.result_url), api(`/api/jobs/${job.id}/figures`),
      api(`/api/jobs/${job.id}/summary`)]);
    showResults(result, figures, summary, job);
  } catch (e) {
    if (e instanceof ApiError) { showAlert(e.message); if (e.body.where) showValidation(e.body); }
    else throw e;
  } finally {
    $("#run").disabled = false;
  }
}

function showResults(a, figures, brief, job) {
  $("#results").hidden = false;
  $("#open-report").href = job.report_url;
  $("#dl-report").href = `${job.report_url}&download=true`;
  $("#dl-report").setAttribute("download", `lifeboat-${a.scenario_id}.html`);
  const blob = new Blob([JSON.stringify(a, null, 2)], { type: "application/json" });
  $("#dl-json").href = URL.createObjectURL(blob);
  $("#dl-json").setAttribute("download", `lifeboat-${a.scenario_id}.json`);

  const s = a.situation;
  const plan = a.rescue;
  const summary = [el("h2", { text: a.title })];
  if (plan) {
    const hours = plan.time_available_h;
    summary.push(el("p", {}, "Time available: ", el("b", { text: hours === null ? "no limit computed" : `${hours.toFixed(1)} h (${(hours / 24).toFixed(1)} d)` })));
    summary.push(plan.recommendation
      ? el("div", { class: "rec", id: "recommendation" }, el("b", { text: `Recommended: ${plan.recommendation}` }), el("ul", {}, plan.reasons.map((r) => el("li", { text: r }))))
      : el("div", { class: "note", id: "recommendation", text: plan.reasons.join("; ") }));
  }
  const lines = [["Situation", brief.situation], ["Seats home", brief.seats], ["What the partner changes", brief.partner]];
  summary.push(el("dl", { class: "brief" }, lines.filter(([, text]) => text).map(([label, text]) => [el("dt", { text: label }), el("dd", { text })])));
  $("#summary").replaceChildren(...summary);

  $("#situation").replaceChildren(
    el("p", { text: `${s.station_name} at ${when(s.epoch_utc)}: ${s.crew.length} crew, ${s.seats_total} lifeboat seats (margin ${s.seat_margin}).` }),
    table(["Crew", "Agency", "Seat"], s.crew.map((c) => [c.name, c.agency, c.seat])),
    table(["Docked vehicle", "Type", "Health", "Seats", "Docked life left (d)", "Crew"],
      s.docked.map((d) => [d.id, d.vehicle_name, d.health, d.seats, fmt(d.docked_life_left_days), (d.crew || []).join(", ")])),
    table(["Provider", "Vehicle", "Crew certified", "Next ready"],
      s.fleet.map((f) => [f.provider, f.vehicle_name, f.crew_certified ? "yes" : "no", when(f.next_ready_utc)])));

  const e = a.emergency;
  const parts = [];
  if (e) {
    parts.push(el("p", {}, el("b", { text: e.kind }), e.what_if ? " (what-if)" : "", ` from ${when(e.onset_utc)}. ${e.description}`));
    if (e.leak) {
      const L = e.leak;
      parts.push(table(["Leaking module", "Hole (mm)", "Initial rate (mmHg/h)", "Reserve time, crew chart (h)", "Time to the limit, blowdown (h)", "Evacuate now?"],
        [[L.module, L.hole_diameter_mm, fmt(L.initial_rate_mmhg_per_h, 2), fmt(L.reserve_time_linear_h), fmt(L.time_to_limit_h), L.evacuate_now ? "yes" : "no"]]));
    }
  } else parts.push(el("p", { text: "No emergency in this scenario." }));
  $("#emergency").replaceChildren(...parts);

  if (plan) {
    $("#options").replaceChildren(table(
      ["#", "Option", "Feasible", "Crew safe", "Crew home", "Landing zone", "Hours without lifeboat", "Crew returning", "Crew staying", "Why / risks"],
      plan.options.map((o, i) => [i + 1, o.name, o.feasible ? (o.within_time ? "yes" : "too late") : "no",
        when(o.crew_safe_utc), when(o.crew_home_utc), o.landing_zone ?? "–", fmt(o.hours_without_lifeboat),
        o.crew_returning !== undefined ? fmt(Array.isArray(o.crew_returning) ? o.crew_returning.length : o.crew_returning, 0) : "–",
        o.crew_staying !== undefined ? fmt(Array.isArray(o.crew_staying) ? o.crew_staying.length : o.crew_staying, 0) : "–",
        [...(o.reasons || []), ...(o.risk_notes || [])].join("; ")])));
  } else $("#options").replaceChildren();

  const risk = a.risk || [];
  if (risk.length) {
    const crew = (r) => r.crew_size ?? brief.crew_sizes?.[r.architecture] ?? null;
    $("#risk").replaceChildren(
      el("p", { class: "small", text: `${a.risk_settings.trials} trials per architecture, seed ${a.risk_settings.seed} (common random numbers); ± is 1.96 Monte Carlo errors. Compare per person flown and per crew-year: whole-station P(LOC) grows with the crews flown.` }),
      table(["Architecture", "Crew", "LOC per person-mission", "LOC per crew-year", "P(loss of crew)", "Decrewed days", "Seatless crew-days"],
        risk.map((r) => [r.title, crew(r) ?? "–", band(metric(r, "loc_per_person_mission"), "e"),
          band(metric(r, "loc_per_crew_year"), "e"), band(metric(r, "p_loc"), 4),
          fmt(metric(r, "decrewed_days")), fmt(metric(r, "seatless_crew_days"))])));
  } else $("#risk").replaceChildren(el("p", { text: "No architectures listed in the scenario." }));

  for (const id of ["fig-pressure", "fig-map", "fig-orbit", "fig-gantt", "fig-risk"]) plot(id, figures[id]);
  $("#summary").scrollIntoView({ behavior: "smooth" });
}

// ---- compare and sweep ------------------------------------------------------------------

let architectures = null;
async function loadArchitectures() {
  if (architectures) return;
  architectures = await api("/api/architectures");
  // Start with the architectures of the scenario in the editor (the partner question it asks).
  const wanted = new Set(state.scenario?.architectures?.length ? state.scenario.architectures : architectures.slice(0, 2).map((a) => a.id));
  $("#arch-list").replaceChildren(...architectures.map((a) => el("label", {},
    el("input", { type: "checkbox", value: a.id, checked: wanted.has(a.id) }), a.title)));
  $("#sw-arch").replaceChildren(...architectures.map((a) => el("option", { value: a.id, text: a.title })));
  await loadParameters();
}

async function loadParameters() {
  const arch = await api(`/api/architectures/${encodeURIComponent($("#sw-arch").value)}`);
  $("#sw-param").replaceChildren(...arch.parameters.filter((p) => typeof p.value === "number")
    .map((p) => el("option", { value: p.path, text: `${p.path} (${p.value})`, "data-value": p.value })));
  suggestValues();
}

function suggestValues() {
  const option = $("#sw-param").selectedOptions[0];
  if (!option) return;
  const base = Number(option.dataset.value);
  const values = Number.isInteger(base) && base > 1 ? [base - 1, base, base + 1, base + 2]
    : [0.5, 1, 1.5, 2].map((f) => Number((base * f).toPrecision(3)));
  $("#sw-values").value = values.join(", ");
}

async function runCompare() {
  showAlert("");
  const ids = [...document.querySelectorAll("#arch-list input:checked")].map((i) => i.value);
  try {
    let job = await api("/api/jobs", { method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify({ kind: "compare", architectures: ids, trials: Number.parseInt($("#cmp-trials").value, 10), seed: Number.parseInt($("#cmp-seed").value, 10) }) });
    job = await poll(job, $("#cmp-progress"), "comparison");
    const cmp = await api(job.result_url);
    const results = cmp.results;
    // Each architecture against the baseline (the first one ticked): the paired difference on
    // common random numbers and the probability that it is an improvement.
    const diff = (r, name) => cmp.differences?.[r.architecture]?.[name] ?? null;
    const delta = (r) => (r.architecture === cmp.baseline ? "baseline" : band(diff(r, "loc_per_person_mission"), "e"));
    const pImp = (r) => {
      const d = diff(r, "loc_per_person_mission");
      return d && d.p_improvement !== null && d.p_improvement !== undefined ? `${(100 * d.p_improvement).toFixed(0)} %` : "–";
    };
    $("#cmp-table").replaceChildren(table(["Architecture", "Crew", "LOC per person-mission", `Δ vs ${cmp.baseline}`, "P(improvement)", "LOC per crew-year", "Decrewed days", `Δ decrewed days`, "Seatless crew-days", "P(loss of crew)"],
      results.map((r) => [r.title, r.crew_size ?? "–", band(metric(r, "loc_per_person_mission"), "e"), delta(r), r.architecture === cmp.baseline ? "–" : pImp(r),
        band(metric(r, "loc_per_crew_year"), "e"), fmt(metric(r, "decrewed_days")),
        r.architecture === cmp.baseline ? "–" : band(diff(r, "decrewed_days"), 1),
        fmt(metric(r, "seatless_crew_days")), band(metric(r, "p_loc"), 4)])));
    const lpm = results.map((r) => metric(r, "loc_per_person_mission"));
    const hi = (m) => ("p95" in m ? m.p95 - m.mean : 1.96 * m.mc_se);
    const lo = (m) => ("p05" in m ? m.mean - m.p05 : 1.96 * m.mc_se);
    plot("fig-compare", { data: [{ type: "bar", x: results.map((r) => `${r.title} (${r.crew_size ?? "?"} crew)`), y: lpm.map((m) => m.mean),
      error_y: { type: "data", symmetric: false, array: lpm.map(hi), arrayminus: lpm.map(lo) } }],
      layout: { title: { text: "Loss of crew per person-mission" }, height: 380, yaxis: { rangemode: "tozero", exponentformat: "e" } } });
  } catch (e) { if (e instanceof ApiError) showAlert(e.message); else throw e; }
}

async function runSweep() {
  showAlert("");
  const values = $("#sw-values").value.split(",").map((v) => v.trim()).filter(Boolean).map(Number);
  try {
    let job = await api("/api/jobs", { method: "POST", headers: { "content-type": "application/json" },
      body: JSON.stringify({ kind: "sweep", architecture: $("#sw-arch").value, parameter: $("#sw-param").value, values,
        trials: Number.parseInt($("#sw-trials").value, 10), seed: Number.parseInt($("#sw-seed").value, 10) }) });
    job = await poll(job, $("#sw-progress"), "sweep");
    const sweep = await api(job.result_url);
    const xs = sweep.points.map((p) => p.value);
    const r = sweep.points.map((p) => p.result);
    $("#sw-table").replaceChildren(table([sweep.parameter, "LOC per person-mission", "LOC per crew-year", "P(loss of crew)", "Decrewed days", "Seatless crew-days"],
      sweep.points.map((p) => [p.value, band(metric(p.result, "loc_per_person_mission"), "e"), band(metric(p.result, "loc_per_crew_year"), "e"),
        band(metric(p.result, "p_loc"), 4), fmt(metric(p.result, "decrewed_days")), fmt(metric(p.result, "seatless_crew_days"))])));
    const lpm = r.map((q) => metric(q, "loc_per_person_mission"));
    plot("fig-sweep", { data: [
      { x: xs, y: lpm.map((m) => m.mean + 1.96 * m.mc_se), mode: "lines", line: { width: 0 }, showlegend: false, hoverinfo: "skip" },
      { x: xs, y: lpm.map((m) => m.mean - 1.96 * m.mc_se), mode: "lines", fill: "tonexty", line: { width: 0 }, name: "± 1.96 Monte Carlo errors", fillcolor: "rgba(31,119,180,0.2)" },
      { x: xs, y: lpm.map((m) => m.mean), mode: "lines+markers", name: "LOC per person-mission" }],
      layout: { title: { text: `Loss of crew per person-mission against ${sweep.parameter} (same seed at every point)` }, height: 380, xaxis: { title: { text: sweep.parameter } }, yaxis: { exponentformat: "e" } } });
  } catch (e) { if (e instanceof ApiError) showAlert(e.message); else throw e; }
}

// ---- incidents ----------------------------------------------------------------------------

let incidents = null;
async function loadIncidents() {
  if (incidents) return;
  incidents = await api("/api/history");
  $("#incidents").replaceChildren(table(["Incident", "Period", "Outcomes compared"], incidents.map((i) => {
    const b = el("button", { class: "incident", type: "button", text: i.title });
    b.addEventListener("click", () => replayIncident(i.id));
    return [b, i.period, i.keys.join(", ")];
  })));
}

async function replayIncident(id) {
  showAlert("");
  $("#replay").replaceChildren(el("p", { text: "Replaying…" }));
  try {
    const r = await api(`/api/history/${encodeURIComponent(id)}`);
    const rows = Object.entries(r.differences).map(([k, d]) => [k, fmt(r.computed[k], 2), fmt(r.recorded[k], 2),
      fmt(d.delta, 2), d.unit, fmt(d.tolerance, 2), el("span", { class: d.within_tolerance ? "good" : "bad", text: d.within_tolerance ? "yes" : "no" }), d.explanation]);
    $("#replay").replaceChildren(el("h3", { text: r.title }), el("p", { text: `${r.period}. ${r.summary}` }),
      table(["Outcome", "Computed", "Recorded", "Difference", "Unit", "Tolerance", "Within", "Why"], rows),
      el("p", { class: "small" }, "Sources: ", ...r.sources.map((s, i) => [i ? "; " : "", /^https?:\/\//.test(s.url || "") ? el("a", { href: s.url, text: s.title, rel: "noopener" }) : s.title])));
    const steps = r.timeline || [];
    plot("fig-replay", steps.length ? { data: steps.map((s) => ({ type: "bar", orientation: "h", base: [s.start_utc],
      x: [Math.max(Date.parse(s.end_utc || s.start_utc) - Date.parse(s.start_utc), 3600e3)], y: [s.label], name: s.label, showlegend: false })),
      layout: { title: { text: "Timeline" }, height: Math.max(250, 28 * steps.length + 100), xaxis: { type: "date" }, yaxis: { automargin: true, autorange: "reversed" }, margin: { l: 260 } } } : null);
  } catch (e) { if (e instanceof ApiError) showAlert(e.message); else throw e; }
}

// ---- start --------------------------------------------------------------------------------

async function start() {
  const [status, schema, scenarios] = await Promise.all([api("/api/status"), api("/api/schema/scenario"), api("/api/scenarios")]);
  state.schema = schema;
  $("#version").textContent = `Lifeboat ${status.version}.`;
  $("#trials").max = status.limits.max_trials;
  const params = new URLSearchParams(location.search);
  const fallback = (scenarios.find((s) => s.id === "iss-2018-12") || scenarios.find((s) => s.builtin)).id;
  const wanted = params.get("scenario") || fallback;
  const select = $("#scenario-select");
  select.replaceChildren(...scenarios.map((s) => el("option", { value: s.id, text: `${s.title}${s.builtin ? "" : " (uploaded)"}`, selected: s.id === wanted })));
  if (params.get("trials")) $("#trials").value = params.get("trials");
  if (params.get("seed")) $("#seed").value = params.get("seed");

  select.addEventListener("change", () => loadScenario(select.value).catch((e) => showAlert(e.message)));
  $("#upload").addEventListener("change", (ev) => { if (ev.target.files[0]) uploadFile(ev.target.files[0]); });
  $("#toml").addEventListener("input", () => { state.scenarioId = null; tomlChanged(); });
  $("#run").addEventListener("click", runAssessment);
  for (const b of document.querySelectorAll(".editor-tab")) b.addEventListener("click", () => showEditor(b.dataset.editor));
  for (const id of ["#trials", "#seed"]) $(id).addEventListener("change", updateShare);
  for (const a of document.querySelectorAll("nav a[data-tab]")) a.addEventListener("click", () => showTab(a.dataset.tab));
  $("#cmp-run").addEventListener("click", runCompare);
  $("#sw-run").addEventListener("click", runSweep);
  $("#sw-arch").addEventListener("change", loadParameters);
  $("#sw-param").addEventListener("change", suggestValues);

  showTab((location.hash || "#assess").slice(1));
  try {
    await loadScenario(wanted);
  } catch (e) {
    if (!(e instanceof ApiError)) throw e;
    showAlert(`${e.message} (an uploaded scenario lives only as long as the server that received it)`);
    await loadScenario(fallback);
  }
  if (params.get("run") === "1") runAssessment();
}

document.addEventListener("DOMContentLoaded", () => start().catch((e) => showAlert(e.message)));
