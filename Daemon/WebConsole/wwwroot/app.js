// Gradient Node console: plain JS modules, no framework, no build step. The router and the list pages; one
// deployment is in deployment.js, one workflow run in workflows.js, helpers in lib.js.
import { main, h, api, poll, rerender, stateBadge, fmtSec, fmtTime, fmtDateTime, bytes, lastChange, cell, tableBox } from "./lib.js";
import { deploymentPage } from "./deployment.js";
import { runPage } from "./workflows.js";
import { datasetPage } from "./datasets.js";
import { messageColumn } from "./message.js";

let page = null; // { stop() } of the page shown

// ---- Deployments -------------------------------------------------------------------------------
function deploymentsPage() {
  const rates = new Map(); // slug -> { requests, at, rate }
  const filter = h("input", { type: "search", id: "filter", placeholder: "Filter by name or state", "aria-label": "Filter deployments" });
  const body = h("tbody");
  const count = h("p", { class: "muted", "aria-live": "polite" });
  // An empty node says how a deployment gets here (the specs folder the node watches, or apply), not just "0 of 0".
  const empty = h("p", { id: "no-deployments" });
  empty.hidden = true;
  let specsDir = null;
  main.replaceChildren(h("h1", {}, "Deployments"), filter, count, empty,
    tableBox("Deployments", h("table", { id: "deployments" },
      h("thead", {}, h("tr", {}, ["Name", "State", "Ready", "Endpoint", "Requests/s", "p50 1m", "p99 1m", "Avg 1m", "Last change", "Message"]
        .map((t, i) => h("th", { scope: "col", class: i >= 2 && i !== 3 && i < 8 ? "num" : null }, t)))),
      body)));
  let last = [];
  const render = () => {
    const q = filter.value.trim().toLowerCase();
    const shown = last.filter(d => !q || d.name.toLowerCase().includes(q) || d.state.toLowerCase().includes(q));
    const counted = `${shown.length} of ${last.length} deployments`;
    if (count.textContent !== counted) count.textContent = counted; // a live region: said when it changes, not at each poll
    empty.hidden = last.length !== 0 || specsDir === null;
    if (!empty.hidden) {
      empty.replaceChildren("No deployments on this node yet. Put a spec file in ", h("code", {}, specsDir || "the node's specs folder"),
        " (the node picks it up within seconds), or send one: ", h("code", {}, "gradient-node apply -f FILE.yaml"), ".");
    }
    rerender(body, ...shown.map(d => {
      const r = rates.get(d.slug);
      return h("tr", { "data-slug": d.slug },
        h("td", {}, h("a", { href: `#/d/${encodeURIComponent(d.name)}` }, d.name)),
        h("td", {}, stateBadge(d.state)),
        h("td", { class: "num ready" }, `${d.readyReplicas}/${d.desiredReplicas}`),
        h("td", { class: "endpoint" }, d.endpoint ? h("a", { href: d.endpoint, target: "_blank", rel: "noopener noreferrer" }, d.endpoint) : "–"),
        h("td", { class: "num rps" }, r?.rate === undefined ? "–" : r.rate.toFixed(1)),
        h("td", { class: "num p50" }, fmtSec(d.traffic?.p50DurationSeconds1m)),
        h("td", { class: "num p99" }, fmtSec(d.traffic?.p99DurationSeconds1m)),
        h("td", { class: "num" }, fmtSec(d.traffic?.averageDurationSeconds1m)),
        h("td", { class: "last-change" }, lastChange(d) ? h("time", { datetime: lastChange(d) }, fmtTime(lastChange(d))) : "–"),
        // The text `ls` shows (cut as it cuts it); the whole message is on the deployment's page, and in the cell's title.
        h("td", { class: "message", title: messageColumn(d.message, Infinity) !== messageColumn(d.message) ? d.message : null }, messageColumn(d.message)));
    }));
  };
  filter.addEventListener("input", render);
  const p = poll(async () => {
    last = await api("deployments");
    if (last.length === 0 && specsDir === null) specsDir = (await api("node")).specsDir ?? "";
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

// ---- Node, datasets, workflows -----------------------------------------------------------------
function nodePage() {
  const box = h("section", { id: "node" });
  main.replaceChildren(h("h1", {}, "Node"), box);
  return poll(async () => {
    const n = await api("node");
    const e = n.engine;
    rerender(box,
      h("dl", { class: "kv" },
        h("dt", {}, "Node"), h("dd", {}, n.node), h("dt", {}, "Version"), h("dd", {}, n.version),
        h("dt", {}, "Engine"), h("dd", { id: "engine" }, e.reachable ? `Docker ${e.version} (API ${e.apiVersion}) at ${e.host}; runtimes ${e.runtimes.join(", ")}; live-restore ${e.liveRestore ? "on" : "off"}` : `unreachable: ${e.error}`),
        ...(n.host ? [h("dt", {}, "Machine"), h("dd", { id: "host" }, `${n.host.cpus} CPUs, ${n.host.memoryBytes ? bytes(n.host.memoryBytes) : "memory unknown"}`)] : []),
        h("dt", {}, "Listen"), h("dd", {}, n.listen.join(", ")), h("dt", {}, "Domain"), h("dd", {}, n.domain),
        h("dt", {}, "Specs"), h("dd", {}, n.specsDir), h("dt", {}, "Deployments"), h("dd", {}, n.deployments),
        ...(n.disk ? [h("dt", {}, "Disk"), h("dd", { id: "disk" }, `${n.disk.images === undefined || n.disk.images === null ? "" : `images ${bytes(n.disk.images)}, `}volumes ${bytes(n.disk.volumes)}, models ${bytes(n.disk.models)}, datasets ${bytes(n.disk.datasets)}`)] : [])),
      h("h2", {}, "GPUs"),
      n.gpus.length ? tableBox("GPUs", h("table", { id: "gpus" }, h("thead", {}, h("tr", {}, ["#", "Model", "Memory", "Utilisation", "Temperature", "Held by"].map(t => h("th", { scope: "col" }, t)))),
        h("tbody", {}, n.gpus.map(g => h("tr", {}, h("td", {}, g.index), h("td", {}, g.name), h("td", {}, `${g.memoryUsedMiB ?? "?"} / ${g.memoryTotalMiB ?? "?"} MiB`),
          h("td", {}, g.utilizationPercent === null || g.utilizationPercent === undefined ? "–" : `${g.utilizationPercent}%`),
          h("td", { class: "temperature" }, g.temperatureC === null || g.temperatureC === undefined ? "–" : `${g.temperatureC} °C`), h("td", {}, g.heldBy ?? "free"))))))
        : h("p", { class: "muted" }, n.gpuNote ?? "no GPUs"),
      ...(n.warnings?.length ? [h("h2", {}, "Warnings"), h("ul", { class: "errors" }, n.warnings.map(w => h("li", {}, w)))] : []));
  }, 5000);
}

// A list of the API's rows. Each column is [field, heading, format]: format(value, row) gives the cell's text or node
// (default: cell()); the first column links to the row's page. newestFirst: the API lists oldest first (a workflow's
// runs), the page shows the newest on top, so the run just started is not the 200th row.
function listPage(title, path, columns, link = null, newestFirst = false, empty = null) {
  const box = h("section", { id: path.split("/")[0] });
  main.replaceChildren(h("h1", {}, title), box);
  return poll(async () => {
    let rows;
    try { rows = await api(path); } catch (e) {
      if (e.status === 404) { box.replaceChildren(h("p", { id: "not-available" }, `${title} are not available on this node yet.`)); return; }
      throw e;
    }
    let list = Array.isArray(rows) ? rows : rows.items ?? rows.runs ?? [];
    if (newestFirst) list = [...list].reverse();
    rerender(box, list.length === 0 ? h("p", { class: "muted", id: "empty" }, ...(empty ?? [`No ${title.toLowerCase()}.`])) :
      tableBox(title, h("table", {}, h("thead", {}, h("tr", {}, columns.map(([field, heading]) => h("th", { scope: "col", "data-field": field }, heading)))),
        h("tbody", {}, list.map(r => h("tr", {}, columns.map(([field, , format = cell], i) => {
          const value = format(r[field], r);
          return h("td", { "data-field": field }, i === 0 && link ? h("a", { href: link(r) }, value) : value);
        })))))));
  }, 5000);
}

const when = t => t ? h("time", { datetime: t }, fmtDateTime(t)) : "–";
const phase = p => p ? stateBadge(p) : "–";
const datasetColumns = [["name", "Dataset"], ["description", "Description"], ["versions", "Versions"], ["latest", "Latest"], ["tags", "Tags"],
  ["bytes", "Size", bytes], ["files", "Files"]];
const workflowColumns = [["name", "Workflow"], ["runs", "Runs"], ["lastRun", "Last run"], ["lastPhase", "Last phase", phase], ["lastCreated", "Last run created", when]];
const runColumns = [["run", "Run"], ["phase", "Phase", phase], ["created", "Created", when], ["started", "Started", when], ["finished", "Finished", when], ["message", "Message"]];

// An empty list says how something gets there (as the deployments page does), not just "No workflows.".
const noWorkflows = () => ["No workflow has run on this node yet. Start one with ", h("code", {}, "gradient-node workflows run -f FILE.yaml"),
  "; its runs, their jobs and logs appear here."];
const noDatasets = () => ["No datasets on this node yet. Create one with ", h("code", {}, "gradient-node datasets create NAME"),
  " and add a version with ", h("code", {}, "gradient-node datasets upload NAME DIR"), ", or let a workflow job write one as an output."];

// ---- Router ------------------------------------------------------------------------------------
function route() {
  page?.stop();
  const hash = location.hash.replace(/^#/, "") || "/";
  for (const a of document.querySelectorAll("nav a")) a.toggleAttribute("aria-current", a.getAttribute("href") === `#${hash}`) && a.setAttribute("aria-current", "page");
  const m = hash.match(/^\/d\/(.+)$/);
  let w = null;
  page = m ? deploymentPage(decodeURIComponent(m[1]))
    : hash === "/node" ? nodePage()
    : hash === "/datasets" ? listPage("Datasets", "datasets", datasetColumns, r => `#/ds/${encodeURIComponent(r.name)}`, false, noDatasets())
    : (w = hash.match(/^\/ds\/([^/]+)$/)) ? datasetPage(decodeURIComponent(w[1]))
    : hash === "/workflows" ? listPage("Workflows", "workflows", workflowColumns, r => `#/w/${encodeURIComponent(r.name)}`, false, noWorkflows())
    : (w = hash.match(/^\/w\/([^/]+)$/)) ? listPage(`Runs of ${decodeURIComponent(w[1])}`, `workflows/${w[1]}/runs`, runColumns,
        r => `#/w/${w[1]}/${r.run}`, true)
    : (w = hash.match(/^\/w\/([^/]+)\/(\d+)$/)) ? runPage(decodeURIComponent(w[1]), w[2])
    : deploymentsPage();
  // The tab's title names the page (a screen reader says it first, and a tab list of consoles tells them apart).
  // Each page's h1 says which it is; one deployment's is its bare name.
  const what = m ? `Deployment ${decodeURIComponent(m[1])}` : main.querySelector("h1")?.textContent;
  document.title = `${what} · Gradient Node console`;
  main.focus({ preventScroll: true });
}

// The skip link moves focus to the content without touching the hash (the hash is the router's: "#main" would leave
// the page shown).
document.querySelector("a.skip").addEventListener("click", e => { e.preventDefault(); main.focus(); });
window.addEventListener("hashchange", route);
route();
