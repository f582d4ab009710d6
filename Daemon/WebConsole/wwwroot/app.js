// Gradient Node console: plain JS modules, no framework. Every value from the API goes into the page as text
// (textContent), never as HTML. Calls go to /api/... on this origin; the console forwards only a whitelist.
const main = document.getElementById("main");
const conn = document.getElementById("conn");
let page = null; // { stop() } of the page shown

function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v); else el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) el.append(c instanceof Node ? c : String(c));
  return el;
}

async function api(path, options = {}) {
  const res = await fetch("/api/" + path, options);
  const type = res.headers.get("content-type") || "";
  const body = type.includes("json") ? await res.json() : await res.text();
  conn.textContent = res.status === 502 ? "daemon unreachable" : "";
  conn.className = res.status === 502 ? "down" : "";
  if (!res.ok) throw Object.assign(new Error(body.error || body || res.statusText), { status: res.status, body });
  return body;
}

async function act(name, action, query = "") {
  return api(`deployments/${encodeURIComponent(name)}/${action}${query}`, { method: "POST", headers: { "X-Gradient-Console": "1" } });
}

function poll(fn, ms = 2000) {
  let timer = null, stopped = false;
  const tick = async () => {
    try { await fn(); } catch (e) { conn.textContent = e.message; conn.className = "down"; }
    if (!stopped) timer = setTimeout(tick, ms);
  };
  tick();
  return { stop() { stopped = true; clearTimeout(timer); } };
}

const stateBadge = s => h("span", { class: `state state-${s}`, "data-state": s }, s);
const fmtSec = v => v === null || v === undefined ? "–" : `${(v * 1000).toFixed(v < 0.01 ? 1 : 0)} ms`;
const fmtTime = t => t ? new Date(t).toLocaleTimeString() : "–";
const bytes = n => n === null || n === undefined ? "–" : n < 1024 ? `${n} B` : n < 1 << 20 ? `${(n / 1024).toFixed(1)} KiB` : n < 1 << 30 ? `${(n / (1 << 20)).toFixed(1)} MiB` : `${(n / (1 << 30)).toFixed(2)} GiB`;

function lastChange(d) {
  const times = [d.rollout?.lastProgress, ...(d.instances || []).flatMap(i => (i.history || []).map(x => x.timestamp))].filter(Boolean);
  return times.length ? times.sort().at(-1) : null;
}

// ---- Deployments -------------------------------------------------------------------------------
function deploymentsPage() {
  const rates = new Map(); // slug -> { requests, at, rate }
  const filter = h("input", { type: "search", id: "filter", placeholder: "Filter by name or state", "aria-label": "Filter deployments" });
  const body = h("tbody");
  const count = h("p", { class: "muted", "aria-live": "polite" });
  main.replaceChildren(h("h1", {}, "Deployments"), filter, count,
    h("table", { id: "deployments" },
      h("thead", {}, h("tr", {}, ["Name", "State", "Ready", "Endpoint", "Requests/s", "p50 1m", "p99 1m", "Avg 1m", "Last change"]
        .map((t, i) => h("th", { scope: "col", class: i >= 2 && i !== 3 && i !== 8 ? "num" : null }, t)))),
      body));
  let last = [];
  const render = () => {
    const q = filter.value.trim().toLowerCase();
    const shown = last.filter(d => !q || d.name.toLowerCase().includes(q) || d.state.toLowerCase().includes(q));
    count.textContent = `${shown.length} of ${last.length} deployments`;
    body.replaceChildren(...shown.map(d => {
      const r = rates.get(d.slug);
      return h("tr", { "data-slug": d.slug },
        h("td", {}, h("a", { href: `#/d/${encodeURIComponent(d.name)}` }, d.name)),
        h("td", {}, stateBadge(d.state)),
        h("td", { class: "num ready" }, `${d.readyReplicas}/${d.desiredReplicas}`),
        h("td", {}, d.endpoint ? h("a", { href: d.endpoint, target: "_blank", rel: "noopener noreferrer" }, d.endpoint) : "–"),
        h("td", { class: "num" }, r?.rate === undefined ? "–" : r.rate.toFixed(1)),
        h("td", { class: "num p50" }, fmtSec(d.traffic?.p50DurationSeconds1m)),
        h("td", { class: "num p99" }, fmtSec(d.traffic?.p99DurationSeconds1m)),
        h("td", { class: "num" }, fmtSec(d.traffic?.averageDurationSeconds1m)),
        h("td", {}, fmtTime(lastChange(d))));
    }));
  };
  filter.addEventListener("input", render);
  const p = poll(async () => {
    last = await api("deployments");
    const now = Date.now();
    for (const d of last) {
      const n = d.traffic?.requests;
      if (n === undefined) continue;
      const prev = rates.get(d.slug);
      rates.set(d.slug, { requests: n, at: now, rate: prev ? Math.max(0, (n - prev.requests) / ((now - prev.at) / 1000)) : undefined });
    }
    render();
  });
  filter.focus();
  return p;
}

// ---- One deployment ----------------------------------------------------------------------------
function deploymentPage(name) {
  const summary = h("section", { id: "summary", "aria-live": "polite" });
  const result = h("p", { id: "action-result", role: "status" });
  const scaleInput = h("input", { id: "scale-replicas", type: "number", min: 0, max: 64, value: 1, "aria-label": "Replicas" });
  const confirmThen = (what, fn) => async () => {
    if (!window.confirm(`${what} deployment '${name}'?`)) return;
    try { result.textContent = (await fn()).result; } catch (e) { result.textContent = `failed: ${e.message}`; }
  };
  const actions = h("div", { class: "actions" },
    h("button", { id: "restart", onclick: confirmThen("Restart", () => act(name, "restart")) }, "Restart"),
    h("button", { id: "enable", onclick: confirmThen("Enable", () => act(name, "enable")) }, "Enable"),
    h("button", { id: "disable", onclick: confirmThen("Disable", () => act(name, "disable")) }, "Disable"),
    h("label", {}, "Replicas ", scaleInput),
    h("button", { id: "scale", onclick: confirmThen("Scale", () => act(name, "scale", `?replicas=${Number(scaleInput.value)}`)) }, "Scale"));
  const logs = logsPanel(name);
  const charts = h("section", { id: "charts", class: "charts" });
  const spec = specPanel(name);
  main.replaceChildren(h("p", {}, h("a", { href: "#/" }, "← Deployments")), h("h1", {}, name), summary, h("h2", {}, "Actions"), actions, result,
    h("h2", {}, "Last hour"), charts, spec.el, logs.el);
  let slug = null;
  const history = poll(async () => {
    if (!slug) return;
    const points = (await api("history"))[slug] || [];
    charts.replaceChildren(
      chart("Requests/s", points.map(p => [p.at, p.requestsPerSecond]), v => v.toFixed(1)),
      chart("Duration p50 / p99 (1m)", points.map(p => [p.at, p.p50DurationSeconds]), fmtSec, points.map(p => [p.at, p.p99DurationSeconds])),
      chart("Replicas ready / desired", points.map(p => [p.at, p.ready]), v => v.toFixed(0), points.map(p => [p.at, p.desired])));
  }, 10000);
  let first = true;
  const p = poll(async () => {
    const d = await api(`deployments/${encodeURIComponent(name)}`);
    if (first) { scaleInput.value = d.desiredReplicas; first = false; slug = d.slug; }
    logs.replicas(d.instances.map(i => i.index));
    spec.update(d);
    summary.replaceChildren(...renderDeployment(d));
  });
  return { stop() { p.stop(); logs.stop(); history.stop(); } };
}

// An inline SVG line chart of [unixSeconds, value] pairs (and an optional dashed second series); no library.
function chart(title, series, fmt, dashed = null) {
  const W = 360, H = 110, P = 4;
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
  svg.setAttribute("role", "img");
  const all = [...series, ...(dashed || [])];
  const last = series.at(-1), lastDashed = dashed?.at(-1);
  const now = last ? fmt(last[1]) + (lastDashed ? ` / ${fmt(lastDashed[1])}` : "") : null;
  svg.setAttribute("aria-label", `${title}: ${now ?? "no data yet"}`);
  if (all.length > 1) {
    const t0 = Math.min(...all.map(p => p[0])), t1 = Math.max(...all.map(p => p[0]));
    const max = Math.max(...all.map(p => p[1]), 1e-9);
    const path = pts => pts.map((p, i) => `${i ? "L" : "M"}${(P + (p[0] - t0) / Math.max(1, t1 - t0) * (W - 2 * P)).toFixed(1)},${(H - P - p[1] / max * (H - 2 * P)).toFixed(1)}`).join("");
    for (const [pts, cls] of [[series, "line"], [dashed, "line dashed"]]) {
      if (!pts) continue;
      const el = document.createElementNS(ns, "path");
      el.setAttribute("d", path(pts));
      el.setAttribute("class", cls);
      svg.append(el);
    }
  }
  return h("figure", {}, h("figcaption", {}, `${title}: `, h("strong", {}, now ?? "–")), svg);
}

function renderDeployment(d) {
  const out = [
    h("dl", { class: "kv" },
      h("dt", {}, "State"), h("dd", { id: "state" }, stateBadge(d.state), " ", d.message),
      h("dt", {}, "Ready"), h("dd", { id: "ready" }, `${d.readyReplicas}/${d.desiredReplicas}`),
      h("dt", {}, "Image"), h("dd", {}, d.image ?? "–"),
      h("dt", {}, "Endpoint"), h("dd", {}, d.endpoint ? h("a", { href: d.endpoint, target: "_blank", rel: "noopener noreferrer" }, d.endpoint) : "–"),
      h("dt", {}, "Spec file"), h("dd", {}, d.specFile ?? "–"),
      h("dt", {}, "Spec hash"), h("dd", {}, d.specHash ?? "–"),
      h("dt", {}, "Requests"), h("dd", { id: "traffic" }, d.traffic ? `${d.traffic.requests} (2xx ${d.traffic.status2xx}, 4xx ${d.traffic.status4xx}, 5xx ${d.traffic.status5xx}); last minute p50 ${fmtSec(d.traffic.p50DurationSeconds1m)}, p99 ${fmtSec(d.traffic.p99DurationSeconds1m)}, avg ${fmtSec(d.traffic.averageDurationSeconds1m)}` : "–")),
  ];
  if (d.errors?.length) {
    out.push(h("h2", {}, "Spec errors"), h("ul", { class: "errors", id: "spec-errors" }, d.errors.map(e => h("li", {}, e))));
  }
  if (d.rollout) {
    out.push(h("h2", {}, "Rollout"), h("p", { id: "rollout" }, stateBadge(d.rollout.state), ` to ${d.rollout.toHash} from ${(d.rollout.fromHashes || []).join(", ") || "–"}: ${d.rollout.message ?? ""} (last progress ${fmtTime(d.rollout.lastProgress)})`));
  }
  if (d.autoscaling) {
    const a = d.autoscaling;
    out.push(h("h2", {}, "Autoscaler"), h("p", { id: "autoscaler" },
      `${a.minReplicas}–${a.maxReplicas} replicas; now ${a.desiredReplicas}, recommends ${a.recommendation ?? "–"}${a.panic ? " (panic mode)" : ""}`));
  }
  out.push(h("h2", {}, "Replicas"), h("table", { id: "replicas" },
    h("thead", {}, h("tr", {}, ["Replica", "State", "Ready", "Restarts", "Last exit", "Probes", "GPUs", "Version"].map(t => h("th", { scope: "col" }, t)))),
    h("tbody", {}, d.instances.map(i => h("tr", { "data-replica": i.index },
      h("td", {}, i.id, i.current ? "" : h("span", { class: "muted" }, " (old)")),
      h("td", {}, stateBadge(i.state), i.stateMessage ? h("div", { class: "muted" }, i.stateMessage) : null),
      h("td", {}, i.ready ? "yes" : "no"),
      h("td", { class: "num restarts" }, i.restarts),
      h("td", { class: "num exit-code" }, i.lastExitCode ?? "–"),
      h("td", {}, probes(i.health)),
      h("td", {}, i.gpus?.length ? i.gpus.join(", ") : "–"),
      h("td", { class: "muted" }, i.specHash))))));
  return out;
}

function probes(health) {
  if (!health) return "–";
  return ["startup", "readiness", "liveness"].filter(t => health[t]).map(t => {
    const p = health[t];
    return h("div", {}, `${t}: ${p.result ?? p.status ?? "?"}${p.message ? ` (${p.message})` : ""}`);
  });
}

// The spec file as it is on disk, numbered, each `file:line:col` error of the status shown under its line.
function specPanel(name) {
  const box = h("div", { id: "spec" });
  const details = h("details", { id: "spec-details" }, h("summary", {}, "Spec file"), box);
  let key = null;
  const parse = (file, e) => {
    const rest = file && e.startsWith(file + ":") ? e.slice(file.length + 1) : e.replace(/^.*?:(?=\d+:\d+: )/, "");
    const m = rest.match(/^(\d+):(\d+): (.*)$/s);
    return m ? { line: Number(m[1]), col: Number(m[2]), message: m[3] } : null;
  };
  return {
    el: h("section", {}, h("h2", {}, "Spec"), details),
    async update(d) {
      const k = `${d.specHash}|${(d.errors || []).join("\n")}`;
      if (k === key) return;
      key = k;
      let text;
      try { text = await api(`deployments/${encodeURIComponent(name)}/spec`); } catch (e) { box.replaceChildren(h("p", { class: "muted" }, `spec not available: ${e.message}`)); return; }
      const byLine = new Map();
      for (const e of d.errors || []) {
        const at = parse(d.specFile, e);
        if (at) byLine.set(at.line, [...(byLine.get(at.line) || []), at]);
      }
      const lines = String(text).split("\n");
      if (lines.at(-1) === "") lines.pop();
      box.replaceChildren(h("ol", { class: "spec" }, lines.map((line, i) => {
        const errs = byLine.get(i + 1);
        return h("li", { id: `spec-line-${i + 1}`, class: errs ? "has-error" : null },
          h("code", {}, line || " "),
          errs ? errs.map(e => h("div", { class: "spec-error", role: "note" }, `${" ".repeat(Math.max(0, e.col - 1))}^ ${e.line}:${e.col}: ${e.message}`)) : null);
      })));
      if (byLine.size) details.open = true;
    },
  };
}

function logsPanel(name) {
  const pre = h("pre", { class: "logs", id: "logs", tabindex: 0, "aria-label": "Log lines" });
  const replica = h("select", { id: "log-replica", "aria-label": "Replica" }, h("option", { value: "" }, "all replicas"));
  const follow = h("input", { type: "checkbox", id: "log-follow", checked: true });
  let controller = null;
  const start = async () => {
    controller?.abort();
    controller = new AbortController();
    pre.textContent = "";
    const q = new URLSearchParams({ tail: "200" });
    if (replica.value) q.set("replica", replica.value);
    if (follow.checked) q.set("follow", "true");
    try {
      const res = await fetch(`/api/deployments/${encodeURIComponent(name)}/logs?${q}`, { signal: controller.signal });
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        const stick = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
        pre.append(value);
        if (pre.textContent.length > 500000) pre.textContent = pre.textContent.slice(-250000);
        if (stick) pre.scrollTop = pre.scrollHeight;
      }
    } catch (e) { if (e.name !== "AbortError") pre.append(`\n(logs stopped: ${e.message})\n`); }
  };
  replica.addEventListener("change", start);
  follow.addEventListener("change", start);
  let known = "";
  start();
  return {
    el: h("section", {}, h("h2", {}, "Logs"), h("div", { class: "actions" }, h("label", {}, "Replica ", replica), h("label", {}, follow, " follow"),
      h("button", { onclick: start }, "Reload")), pre),
    replicas(indexes) {
      const key = [...new Set(indexes)].sort().join(",");
      if (key === known) return;
      known = key;
      const current = replica.value;
      replica.replaceChildren(h("option", { value: "" }, "all replicas"), ...key.split(",").filter(Boolean).map(i => h("option", { value: i }, `replica ${i}`)));
      replica.value = current;
    },
    stop() { controller?.abort(); },
  };
}

// ---- Node, datasets, workflows -----------------------------------------------------------------
function nodePage() {
  const box = h("section", { id: "node" });
  main.replaceChildren(h("h1", {}, "Node"), box);
  return poll(async () => {
    const n = await api("node");
    const e = n.engine;
    box.replaceChildren(
      h("dl", { class: "kv" },
        h("dt", {}, "Node"), h("dd", {}, n.node), h("dt", {}, "Version"), h("dd", {}, n.version),
        h("dt", {}, "Engine"), h("dd", { id: "engine" }, e.reachable ? `Docker ${e.version} (API ${e.apiVersion}) at ${e.host}; runtimes ${e.runtimes.join(", ")}; live-restore ${e.liveRestore ? "on" : "off"}` : `unreachable: ${e.error}`),
        h("dt", {}, "Listen"), h("dd", {}, n.listen.join(", ")), h("dt", {}, "Domain"), h("dd", {}, n.domain),
        h("dt", {}, "Specs"), h("dd", {}, n.specsDir), h("dt", {}, "Deployments"), h("dd", {}, n.deployments),
        ...(n.disk ? [h("dt", {}, "Disk"), h("dd", {}, `volumes ${bytes(n.disk.volumes)}, models ${bytes(n.disk.models)}, datasets ${bytes(n.disk.datasets)}`)] : [])),
      h("h2", {}, "GPUs"),
      n.gpus.length ? h("table", { id: "gpus" }, h("thead", {}, h("tr", {}, ["#", "Model", "Memory", "Utilisation", "Held by"].map(t => h("th", { scope: "col" }, t)))),
        h("tbody", {}, n.gpus.map(g => h("tr", {}, h("td", {}, g.index), h("td", {}, g.name), h("td", {}, `${g.memoryUsedMiB ?? "?"} / ${g.memoryTotalMiB ?? "?"} MiB`),
          h("td", {}, g.utilizationPercent === null || g.utilizationPercent === undefined ? "–" : `${g.utilizationPercent}%`), h("td", {}, g.heldBy ?? "free")))))
        : h("p", { class: "muted" }, n.gpuNote ?? "no GPUs"),
      ...(n.warnings?.length ? [h("h2", {}, "Warnings"), h("ul", { class: "errors" }, n.warnings.map(w => h("li", {}, w)))] : []));
  }, 5000);
}

function listPage(title, path, columns, link = null) {
  const box = h("section", { id: path.split("/")[0] });
  main.replaceChildren(h("h1", {}, title), box);
  return poll(async () => {
    let rows;
    try { rows = await api(path); } catch (e) {
      if (e.status === 404) { box.replaceChildren(h("p", { id: "not-available" }, `${title} are not available on this node yet.`)); return; }
      throw e;
    }
    const list = Array.isArray(rows) ? rows : rows.items ?? rows.runs ?? [];
    box.replaceChildren(list.length === 0 ? h("p", { class: "muted" }, `No ${title.toLowerCase()}.`) :
      h("table", {}, h("thead", {}, h("tr", {}, columns.map(c => h("th", { scope: "col" }, c)))),
        h("tbody", {}, list.map(r => h("tr", {}, columns.map((c, i) => h("td", {}, i === 0 && link ? h("a", { href: link(r) }, cell(r[c])) : cell(r[c]))))))));
  }, 5000);
}

// One workflow run: its DAG (each job a box with its phase and duration, an edge from every job it needs), the jobs
// table, and the selected job's log (streamed while it runs).
function runPage(name, run) {
  const head = h("p", { id: "run-phase" });
  const dag = h("div", { id: "dag", class: "dag" });
  const table = h("div");
  const jobLog = h("pre", { class: "logs", id: "job-logs", tabindex: 0, "aria-label": "Job log" });
  const picked = h("span", { id: "job-logs-name", class: "muted" }, "(choose a job)");
  let controller = null, selected = null;
  const showLog = async job => {
    selected = job;
    picked.textContent = job;
    controller?.abort();
    controller = new AbortController();
    jobLog.textContent = "";
    try {
      const res = await fetch(`/api/workflows/${encodeURIComponent(name)}/runs/${run}/logs?${new URLSearchParams({ job, follow: "true" })}`, { signal: controller.signal });
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        jobLog.append(value);
        if (jobLog.textContent.length > 500000) jobLog.textContent = jobLog.textContent.slice(-250000);
      }
    } catch (e) { if (e.name !== "AbortError") jobLog.append(`\n(log stopped: ${e.message})\n`); }
  };
  main.replaceChildren(h("p", {}, h("a", { href: `#/w/${encodeURIComponent(name)}` }, `← Runs of ${name}`)), h("h1", {}, `${name} run ${run}`), head,
    h("h2", {}, "Jobs"), dag, table, h("h2", {}, "Log of ", picked), jobLog);
  const p = poll(async () => {
    const r = await api(`workflows/${encodeURIComponent(name)}/runs/${run}`);
    const secs = j => j.started ? `${Math.round(((j.finished ? new Date(j.finished) : new Date()) - new Date(j.started)) / 1000)} s` : "–";
    const jobs = Object.entries(r.jobs || {});
    head.replaceChildren(stateBadge(r.phase), " ", r.message ?? "", ` (${secs(r)})`);
    dag.replaceChildren(drawDag(jobs, secs, showLog));
    table.replaceChildren(h("table", { id: "jobs" }, h("thead", {}, h("tr", {}, ["Job", "Needs", "Phase", "Duration", "Exit", "Message", "Outputs", ""].map(t => h("th", { scope: "col" }, t)))),
      h("tbody", {}, jobs.map(([job, j]) => h("tr", { "data-job": job }, h("td", {}, job), h("td", {}, (j.needs || []).join(", ") || "–"), h("td", {}, stateBadge(j.phase)),
        h("td", { class: "num" }, secs(j)), h("td", { class: "num" }, j.exitCode ?? "–"), h("td", {}, j.message ?? ""), h("td", {}, cell(j.outputs)),
        h("td", {}, h("button", { class: "show-log", "data-job": job, onclick: () => showLog(job) }, "Log")))))));
    if (!selected && jobs.length) showLog(jobs[0][0]);
  }, 3000);
  return { stop() { p.stop(); controller?.abort(); } };
}

// The run's DAG as inline SVG: a job's column is the length of its longest chain of needs; an edge per need.
function drawDag(jobs, secs, onPick) {
  const ns = "http://www.w3.org/2000/svg";
  const el = (tag, attrs, text) => {
    const e = document.createElementNS(ns, tag);
    for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
    if (text !== undefined) e.textContent = text;
    return e;
  };
  const byId = new Map(jobs);
  const depth = new Map();
  const depthOf = (id, seen = new Set()) => {
    if (depth.has(id)) return depth.get(id);
    if (seen.has(id)) return 0;
    seen.add(id);
    const d = Math.max(-1, ...(byId.get(id)?.needs || []).filter(n => byId.has(n)).map(n => depthOf(n, seen))) + 1;
    depth.set(id, d);
    return d;
  };
  const columns = [];
  for (const [id] of jobs) (columns[depthOf(id)] ??= []).push(id);
  const W = 170, H = 46, GX = 60, GY = 18, P = 6;
  const pos = new Map();
  columns.forEach((col, c) => col.forEach((id, r) => pos.set(id, { x: P + c * (W + GX), y: P + r * (H + GY) })));
  const width = P * 2 + columns.length * W + Math.max(0, columns.length - 1) * GX;
  const height = P * 2 + Math.max(1, ...columns.map(c => c.length)) * (H + GY) - GY;
  const svg = el("svg", { viewBox: `0 0 ${width} ${height}`, width, height, role: "img", "aria-label": `DAG of ${jobs.length} jobs` });
  for (const [id, j] of jobs) {
    for (const need of j.needs || []) {
      const a = pos.get(need), b = pos.get(id);
      if (!a || !b) continue;
      const x1 = a.x + W, y1 = a.y + H / 2, x2 = b.x, y2 = b.y + H / 2;
      svg.append(el("path", { class: "edge", "data-from": need, "data-to": id, d: `M${x1},${y1} C${x1 + GX / 2},${y1} ${x2 - GX / 2},${y2} ${x2},${y2}` }));
    }
  }
  for (const [id, j] of jobs) {
    const { x, y } = pos.get(id);
    const g = el("g", { class: `job state-${j.phase}`, "data-job": id, "data-phase": j.phase, tabindex: 0, role: "button", "aria-label": `${id}: ${j.phase}; show its log` });
    g.append(el("rect", { x, y, width: W, height: H, rx: 6 }), el("text", { x: x + 8, y: y + 18, class: "name" }, id), el("text", { x: x + 8, y: y + 36, class: "phase" }, `${j.phase} · ${secs(j)}`));
    g.addEventListener("click", () => onPick(id));
    g.addEventListener("keydown", e => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); onPick(id); } });
    svg.append(g);
  }
  return svg;
}

const cell = v => v === null || v === undefined ? "–" : typeof v === "object" ? JSON.stringify(v) : v;

// ---- Router ------------------------------------------------------------------------------------
function route() {
  page?.stop();
  const hash = location.hash.replace(/^#/, "") || "/";
  for (const a of document.querySelectorAll("nav a")) a.toggleAttribute("aria-current", a.getAttribute("href") === `#${hash}`) && a.setAttribute("aria-current", "page");
  const m = hash.match(/^\/d\/(.+)$/);
  let w = null;
  page = m ? deploymentPage(decodeURIComponent(m[1]))
    : hash === "/node" ? nodePage()
    : hash === "/datasets" ? listPage("Datasets", "datasets", ["name", "description", "versions", "latest", "tags", "bytes", "files"])
    : hash === "/workflows" ? listPage("Workflows", "workflows", ["name", "runs", "lastRun", "lastPhase", "lastCreated"], r => `#/w/${encodeURIComponent(r.name)}`)
    : (w = hash.match(/^\/w\/([^/]+)$/)) ? listPage(`Runs of ${decodeURIComponent(w[1])}`, `workflows/${w[1]}/runs`, ["run", "phase", "created", "started", "finished", "message"],
        r => `#/w/${w[1]}/${r.run}`)
    : (w = hash.match(/^\/w\/([^/]+)\/(\d+)$/)) ? runPage(decodeURIComponent(w[1]), w[2])
    : deploymentsPage();
  main.focus({ preventScroll: true });
}

window.addEventListener("hashchange", route);
route();
