// One workflow run's page: its DAG, the jobs table and a job's log.
import { main, h, api, poll, rerender, stateBadge, refusal, logPane, tableBox } from "./lib.js";

// The lines of a job's log the pane asks for first (its end; "Load the whole log" asks for the rest).
export const JOB_TAIL = 1000;

// One workflow run: its DAG (each job a box with its phase and duration, an edge from every job it needs), the jobs
// table, and the selected job's log (streamed while it runs).
export function runPage(name, run) {
  const head = h("p", { id: "run-phase" });
  const runValues = h("dl", { class: "kv", id: "run-values" });
  // Cancel and delete stay with the CLI (every local user can reach a loopback console: docs/design/console.md).
  const commands = h("p", { id: "run-commands", class: "muted" });
  const dag = h("div", { id: "dag", class: "dag" });
  const table = h("div");
  const jobLog = h("pre", { class: "logs", id: "job-logs", tabindex: 0, "aria-label": "Job log" });
  const pane = logPane(jobLog);
  const picked = h("span", { id: "job-logs-name", class: "muted" }, "(choose a job)");
  // Until the user picks a job, the log shown follows the run: the job that failed, else the one running, else the first.
  // A log whose stream ended (the job's end, or the daemon restarting) is fetched again when the daemon answers after
  // being out of reach (lib.js's "gn-reconnected").
  // A job's log is asked for as its last JOB_TAIL lines (then followed): a kept log may be 8 MiB, which the pane would
  // download whole only to keep its last 10,000 lines. When the daemon says the log had more lines than that tail
  // (its X-Log-Tail-Cut answer header), "Load the whole log" asks again from the log's first line (the pane still keeps
  // its last LOG_LINES). Before, the button came once JOB_TAIL lines had arrived, so a log that grew past them while
  // the page was open offered it though the pane showed it whole.
  const whole = h("button", { id: "job-logs-all", type: "button", hidden: true, onclick: () => selected && showLog(selected, pickedByUser, true) },
    `Load the whole log (shown: its last ${JOB_TAIL.toLocaleString("en")} lines)`);
  let controller = null, selected = null, pickedByUser = false, live = false, all = false;
  const showLog = async (job, byUser = true, wholeLog = false) => {
    pickedByUser ||= byUser;
    all = wholeLog && job === selected;
    selected = job;
    picked.textContent = job;
    controller?.abort();
    const mine = controller = new AbortController();
    pane.clear();
    whole.hidden = true;
    live = true;
    try {
      const q = new URLSearchParams({ job, follow: "true" });
      if (!all) q.set("tail", String(JOB_TAIL));
      const res = await fetch(`/api/workflows/${encodeURIComponent(name)}/runs/${run}/logs?${q}`, { signal: mine.signal });
      // An error answer (the job unknown, the daemon stopping, the console's 502) is said as such, not shown as log text.
      if (!res.ok) throw new Error(`log not available: ${await refusal(res)}`);
      whole.hidden = all || res.headers.get("X-Log-Tail-Cut") !== "true";
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        pane.append(value);
      }
    } catch (e) { if (e.name !== "AbortError") pane.append(`\n(log stopped: ${e.message})\n`); }
    if (!mine.signal.aborted) live = false;
  };
  const reconnected = () => { if (!live && selected) showLog(selected, false, all); };
  window.addEventListener("gn-reconnected", reconnected);
  main.replaceChildren(h("p", {}, h("a", { href: `#/w/${encodeURIComponent(name)}` }, `← Runs of ${name}`)), h("h1", {}, `${name} run ${run}`), head, commands, runValues,
    h("h2", {}, "Jobs"), dag, table, h("h2", {}, "Log of ", picked), whole, jobLog);
  const p = poll(async () => {
    let r;
    try { r = await api(`workflows/${encodeURIComponent(name)}/runs/${run}`); } catch (e) {
      if (e.status !== 404) throw e;
      // A run the node does not keep (deleted, past the runs a workflow keeps, or mistyped): say so once, without a DAG
      // or a log pane (before, the header said it in red every 3 s over an empty page and a pane about replicas).
      p.stop(); controller?.abort(); window.removeEventListener("gn-reconnected", reconnected);
      main.replaceChildren(h("p", {}, h("a", { href: `#/w/${encodeURIComponent(name)}` }, `← Runs of ${name}`)), h("h1", {}, `${name} run ${run}`),
        h("p", { id: "not-found" }, `${e.message}: deleted, past the runs the node keeps of a workflow, or a number mistyped.`));
      return;
    }
    const secs = j => j.started ? `${Math.round(((j.finished ? new Date(j.finished) : new Date()) - new Date(j.started)) / 1000)} s` : "–";
    const jobs = Object.entries(r.jobs || {});
    head.replaceChildren(stateBadge(r.phase), " ", r.message ?? "", ` (${secs(r)})`);
    const ended = !["PENDING", "RUNNING"].includes(String(r.phase).toUpperCase());
    commands.replaceChildren(ended ? "To delete this run and its logs: " : "To stop it: ",
      h("code", {}, `gradient-node workflows ${ended ? "delete" : "cancel"} ${name} ${run}`));
    runValues.replaceChildren(...[["Run inputs", r.inputs], ["Run outputs", r.outputs]].filter(([, v]) => v && Object.keys(v).length)
      .flatMap(([t, v]) => [h("dt", {}, t), h("dd", {}, values(v))]));
    rerender(dag, drawDag(jobs, secs, showLog));
    rerender(table, tableBox("Jobs", h("table", { id: "jobs" }, h("thead", {}, h("tr", {}, ["Job", "Needs", "Phase", "Duration", "Exit", "Message", "Inputs", "Outputs", "Log"].map(t => h("th", { scope: "col" }, t)))),
      h("tbody", {}, jobs.map(([job, j]) => h("tr", { "data-job": job }, h("td", {}, job), h("td", {}, (j.needs || []).join(", ") || "–"), h("td", {}, stateBadge(j.phase)),
        h("td", { class: "num" }, secs(j)), h("td", { class: "num" }, j.exitCode ?? "–"), h("td", {}, j.message ?? ""), h("td", { class: "inputs" }, values(j.inputs)), h("td", { class: "outputs" }, values(j.outputs)),
        h("td", {}, h("button", { class: "show-log", "data-job": job, "data-key": `log:${job}`, "aria-label": `Log of ${job}`, onclick: () => showLog(job) }, "Log"))))))));
    const worth = jobs.find(([, j]) => ["FAILED", "ERROR"].includes(String(j.phase).toUpperCase()))
      ?? jobs.find(([, j]) => String(j.phase).toUpperCase() === "RUNNING") ?? jobs[0];
    if (!pickedByUser && worth && worth[0] !== selected) showLog(worth[0], false);
  }, 3000);
  return { stop() { p.stop(); controller?.abort(); window.removeEventListener("gn-reconnected", reconnected); } };
}

// A job's (or the run's) inputs or outputs, one per line: "data: demo-dataset:abc1234 (committed)", a string's value
// (cut at 80 characters), "volume"; "–" when there are none.
function values(map) {
  const entries = Object.entries(map || {});
  return entries.length === 0 ? "–" : h("ul", { class: "plain" }, entries.map(([k, v]) => h("li", { "data-name": k }, `${k}: `, datasetLink(v, describe(v)))));
}

// A resolved dataset version links to its dataset's page (its versions and who mounts them); anything else is text.
function datasetLink(v, text) {
  const id = v?.dataset?.id;
  const name = typeof id === "string" && id.includes(":") ? id.slice(0, id.lastIndexOf(":")) : null;
  return name ? h("a", { href: `#/ds/${encodeURIComponent(name)}`, "data-key": `ds:${name}` }, text) : text;
}

export function describe(v) {
  if (v?.dataset?.id) return `${v.dataset.id} (${v.dataset.isCommitted === false ? "not committed" : "committed"})`;
  const ref = v?.with?.ref ?? v?.with?.id;
  if (ref) return `${ref} (not resolved yet)`;
  if (v?.type === "string") return v.value === undefined || v.value === null ? "string (not written yet)" : JSON.stringify(v.value.length > 80 ? v.value.slice(0, 80) + "…" : v.value);
  return v?.type ?? "–";
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
    const g = el("g", { class: `job state-${j.phase}`, "data-job": id, "data-key": `job:${id}`, "data-phase": j.phase, tabindex: 0, role: "button", "aria-label": `${id}: ${j.phase}; show its log` });
    g.append(el("rect", { x, y, width: W, height: H, rx: 6 }), el("text", { x: x + 8, y: y + 18, class: "name" }, id), el("text", { x: x + 8, y: y + 36, class: "phase" }, `${j.phase} · ${secs(j)}`));
    g.addEventListener("click", () => onPick(id));
    g.addEventListener("keydown", e => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); onPick(id); } });
    svg.append(g);
  }
  return svg;
}

