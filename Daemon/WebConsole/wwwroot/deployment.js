// One deployment's page: state, replicas, actions, last-hour charts, the spec file with its errors, logs.
import { main, h, api, act, poll, rerender, stateBadge, fmtSec, fmtTime, refusal, logPane, tableBox } from "./lib.js";

export function deploymentPage(name) {
  // The summary is redrawn every 2 s: as a live region a screen reader would read all of it out at each poll. What is
  // said instead is the state and readiness, in a status line of its own, when they change.
  const summary = h("section", { id: "summary" });
  const said = h("p", { id: "state-said", class: "sr-only", role: "status" });
  const result = h("p", { id: "action-result", role: "status" });
  const scaleInput = h("input", { id: "scale-replicas", type: "number", min: 0, max: 64, value: 1, "aria-label": "Replicas" });
  const confirmThen = (what, fn) => async () => {
    if (!window.confirm(`${what} deployment '${name}'?`)) return;
    try { result.textContent = (await fn()).result; } catch (e) { result.textContent = `failed: ${e.message}`; }
  };
  // Enable is offered only to a disabled deployment (enabled: false), Disable only to one that is not. A deployment scaled
  // to 0 is not disabled (enabled: true): Enable changed nothing and started nothing there; the note says what starts it.
  const enableButton = h("button", { id: "enable", "aria-describedby": "off-note", onclick: confirmThen("Enable", () => act(name, "enable")) }, "Enable");
  const disableButton = h("button", { id: "disable", onclick: confirmThen("Disable", () => act(name, "disable")) }, "Disable");
  const offNote = h("p", { id: "off-note", hidden: true });
  const actions = h("div", { class: "actions" },
    h("button", { id: "restart", onclick: confirmThen("Restart", () => act(name, "restart")) }, "Restart"),
    enableButton,
    disableButton,
    h("label", {}, "Replicas ", scaleInput),
    h("button", { id: "scale", onclick: confirmThen("Scale", () => act(name, "scale", `?replicas=${Number(scaleInput.value)}`)) }, "Scale"));
  const logs = logsPanel(name);
  const charts = h("section", { id: "charts", class: "charts" });
  const spec = specPanel(name);
  main.replaceChildren(h("p", {}, h("a", { href: "#/" }, "← Deployments")), h("h1", {}, name), said, summary, h("h2", {}, "Actions"), actions, offNote, result,
    h("h2", {}, "Last hour"), charts, spec.el, logs.el);
  // Drawn as soon as the first status names the deployment's slug, then every 10 s (before, the first tick came before
  // the slug was known, and "Last hour" stood over nothing for 10 s).
  let slug = null;
  const drawHistory = async () => {
    if (!slug) return;
    const points = (await api("history"))[slug] || [];
    charts.replaceChildren(
      chart("Requests/s", points.map(p => [p.at, p.requestsPerSecond]), v => v.toFixed(1)),
      chart("Duration p50 / p99 (1m)", points.map(p => [p.at, p.p50DurationSeconds]), fmtSec, points.map(p => [p.at, p.p99DurationSeconds])),
      chart("Replicas ready / desired", points.map(p => [p.at, p.ready]), v => v.toFixed(0), points.map(p => [p.at, p.desired])));
  };
  const history = poll(drawHistory, 10000);
  let first = true;
  const p = poll(async () => {
    let d;
    try { d = await api(`deployments/${encodeURIComponent(name)}`); } catch (e) {
      if (e.status !== 404) throw e;
      // A name the node does not have (mistyped, or deleted while shown): say so once, without actions or a log pane.
      p.stop(); logs.stop(); history.stop();
      main.replaceChildren(h("p", {}, h("a", { href: "#/" }, "← Deployments")), h("h1", {}, name),
        h("p", { id: "not-found" }, `${e.message}: deleted, or a name mistyped. The deployments the node has are in the list.`));
      return;
    }
    // Scaled to 0, the field offers 1: Scale as it stands starts the deployment (it said 0, which changed nothing).
    if (first) { scaleInput.value = d.off === "scaledToZero" ? 1 : d.desiredReplicas; first = false; slug = d.slug; drawHistory().catch(() => {}); }
    showOff(d.off);
    logs.replicas(d.instances.map(i => i.index));
    spec.update(d);
    rerender(summary, ...renderDeployment(d));
    const now = `${d.state}, ${d.readyReplicas} of ${d.desiredReplicas} replicas ready`;
    if (said.textContent !== now) said.textContent = now;
  });
  function showOff(off) {
    if (off === undefined) return; // a daemon from before the field: both offered, as they were
    enableButton.disabled = off !== "disabled";
    disableButton.disabled = off === "disabled";
    const note = off === "scaledToZero" ? "Scaled to 0 (resources.replicas: 0), not disabled: set Replicas above 0 and Scale to start it."
      : off === "disabled" ? "Disabled (enabled: false): Enable starts it again." : "";
    if (offNote.textContent !== note) offNote.textContent = note;
    offNote.hidden = note === "";
  }
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
      h("dt", {}, "Auth"), h("dd", { id: "auth" }, d.basicAuthSecret ? `basic auth, user paperspace, the password in secret '${d.basicAuthSecret}'` : "none (open to anyone who reaches the endpoint)"),
      h("dt", {}, "Spec file"), h("dd", {}, d.specFile ?? "–"),
      h("dt", {}, "Spec hash"), h("dd", {}, d.specHash ?? "–"),
      h("dt", {}, "Requests"), h("dd", { id: "traffic" }, d.traffic ? `${d.traffic.requests} (2xx ${d.traffic.status2xx}, 4xx ${d.traffic.status4xx}, 5xx ${d.traffic.status5xx}); last minute p50 ${fmtSec(d.traffic.p50DurationSeconds1m)}, p99 ${fmtSec(d.traffic.p99DurationSeconds1m)}, avg ${fmtSec(d.traffic.averageDurationSeconds1m)}` : "–")),
  ];
  if (d.errors?.length) {
    out.push(h("h2", {}, "Spec errors"), h("ul", { class: "errors", id: "spec-errors" }, d.errors.map(e => h("li", {}, e))));
  }
  // What `gradient-node get` lists beside the state: warnings, spec fields the node does not act on, the volumes.
  if (d.warnings?.length) {
    out.push(h("h2", {}, "Warnings"), h("ul", { id: "warnings" }, d.warnings.map(w => h("li", {}, w))));
  }
  if (d.notActedOn?.length) {
    out.push(h("h2", {}, "Not acted on yet"), h("ul", { id: "not-acted-on" }, d.notActedOn.map(n => h("li", {}, n))));
  }
  if (d.rollout) {
    out.push(h("h2", {}, "Rollout"), h("p", { id: "rollout" }, stateBadge(d.rollout.state), ` to ${d.rollout.toHash} from ${(d.rollout.fromHashes || []).join(", ") || "–"}: ${d.rollout.message ?? ""} (last progress ${fmtTime(d.rollout.lastProgress)})`));
  }
  if (d.autoscaling) out.push(...autoscaler(d.autoscaling));
  out.push(h("h2", {}, "Replicas"), tableBox("Replicas", h("table", { id: "replicas" },
    h("thead", {}, h("tr", {}, ["Replica", "State", "Ready", "Restarts", "Last exit", "Probes", "GPUs", "Version"].map(t => h("th", { scope: "col" }, t)))),
    h("tbody", {}, d.instances.map(i => h("tr", { "data-replica": i.index },
      h("td", {}, i.id, i.current ? "" : h("span", { class: "muted" }, " (old)")),
      h("td", {}, stateBadge(i.state), i.stateMessage ? h("div", { class: "muted" }, i.stateMessage) : null),
      h("td", {}, i.ready ? "yes" : "no"),
      h("td", { class: "num restarts" }, i.restarts),
      h("td", { class: "num exit-code" }, i.lastExitCode ?? "–"),
      h("td", {}, probes(i.health)),
      h("td", {}, i.gpus?.length ? i.gpus.join(", ") : "–"),
      h("td", { class: "muted" }, i.specHash)))))));
  if (d.volumes?.length) out.push(...volumes(d.volumes));
  return out;
}

// Integrations, models and repositories as the replicas mount them, with the fetch's state (as `gradient-node get`).
function volumes(list) {
  const size = v => v.diskBytes ? `${v.diskBytes} bytes on disk` : v.bytesTotal ? `${v.bytesDone} of ${v.bytesTotal} bytes` : "–";
  return [h("h2", {}, "Volumes"), tableBox("Volumes", h("table", { id: "volumes" },
    h("thead", {}, h("tr", {}, ["Volume", "Kind", "Mount", "State", "Size", "Message"].map(t => h("th", { scope: "col" }, t)))),
    h("tbody", {}, list.map(v => h("tr", { "data-field": v.field },
      h("td", {}, v.field), h("td", {}, v.kind), h("td", {}, v.mountPath, v.readOnly ? h("span", { class: "muted" }, " (read-only)") : ""),
      h("td", {}, v.state), h("td", { class: "num" }, size(v)), h("td", { class: "muted" }, v.message ?? ""))))))];
}

// The autoscaler: bounds, count, recommendation, what each metric saw (stable and 10 s windows, its proposal) and the
// last changes of the count with their reasons (the status keeps the last 10; the replicas chart shows the count over
// the hour).
function autoscaler(a) {
  const fmt = (m, v) => v === null || v === undefined ? "–" : m.metric === "requestDuration" ? fmtSec(v) : `${Number(v).toFixed(1)} %`;
  const last = a.lastScale;
  return [
    h("h2", {}, "Autoscaler"),
    h("p", { id: "autoscaler" }, `${a.minReplicas}–${a.maxReplicas} replicas; now ${a.desiredReplicas}, recommends ${a.recommendation ?? "–"}${a.panic ? " (panic mode)" : ""}`,
      h("span", { class: "muted" }, `; evaluated ${fmtTime(a.evaluatedAt)}`)),
    a.note ? h("p", { id: "autoscaler-note", class: "muted" }, a.note) : null,
    tableBox("Autoscaler metrics", h("table", { id: "autoscaler-metrics" },
      h("thead", {}, h("tr", {}, ["Metric", "Target", "Value", "Last 10 s", "Proposes", "Panic"].map(t => h("th", { scope: "col" }, t)))),
      h("tbody", {}, (a.metrics || []).map(m => h("tr", { "data-metric": m.metric },
        h("td", {}, m.metric),
        h("td", { class: "num target" }, fmt(m, m.target)),
        h("td", { class: "num value" }, fmt(m, m.value)),
        h("td", { class: "num short" }, fmt(m, m.shortWindowValue)),
        h("td", { class: "num proposal" }, m.proposal ?? "–"),
        h("td", { class: "panic" }, m.panic ? "yes" : "no")))))),
    h("p", { id: "last-scale" }, last
      ? [`Last scale: ${last.from} → ${last.to} at `, h("time", { datetime: last.at }, fmtTime(last.at)), `: ${last.reason}`]
      : "Last scale: none yet"),
    (a.scales || []).length ? tableBox("Scale history", h("table", { id: "scale-history" },
      h("caption", {}, "Scale history (newest first)"),
      h("thead", {}, h("tr", {}, ["When", "From", "To", "Why"].map(t => h("th", { scope: "col" }, t)))),
      h("tbody", {}, [...a.scales].reverse().map(e => h("tr", {},
        h("td", {}, h("time", { datetime: e.at }, fmtTime(e.at))),
        h("td", { class: "num from" }, e.from),
        h("td", { class: "num to" }, e.to),
        h("td", { class: "reason" }, e.reason)))))) : null,
  ].filter(Boolean);
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
  // While empty, the stylesheet writes "no log lines yet" in it (a replica that prints nothing, e.g. busybox httpd).
  const pre = h("pre", { class: "logs", id: "logs", tabindex: 0, "aria-label": "Log lines" });
  const pane = logPane(pre);
  const replica = h("select", { id: "log-replica", "aria-label": "Replica" }, h("option", { value: "" }, "all replicas"));
  const follow = h("input", { type: "checkbox", id: "log-follow", checked: true });
  // A follow stream that ends (the daemon restarting, the network down) says so with the time, and follows again by
  // itself: after 2 s, at most 5 times in a row (a daemon back within one 2 s poll never makes lib.js's page stale, so
  // "gn-reconnected" alone left the pane stopped), and again once the daemon answers after being out of reach. A stream
  // that lived 30 s or more before ending, Reload, and a change of replica or follow start the count again.
  const retryMs = 2000, retries = 5;
  let controller = null, live = false, tries = 0, retry = null;
  const start = async (again = false) => {
    clearTimeout(retry);
    if (again !== true) tries = 0;
    controller?.abort();
    const mine = controller = new AbortController();
    pane.clear();
    const q = new URLSearchParams({ tail: "200" });
    if (replica.value) q.set("replica", replica.value);
    if (follow.checked) q.set("follow", "true");
    live = true;
    let why = "the daemon closed it";
    const began = Date.now();
    try {
      const res = await fetch(`/api/deployments/${encodeURIComponent(name)}/logs?${q}`, { signal: mine.signal });
      if (!res.ok) throw new Error(await refusal(res));
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        const stick = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
        pane.append(value);
        if (stick) pre.scrollTop = pre.scrollHeight;
      }
    } catch (e) { if (mine.signal.aborted) return; why = e.message; }
    if (mine.signal.aborted || !follow.checked) return;
    live = false;
    if (Date.now() - began >= 30000) tries = 0;
    const ended = `\n(log stream ended at ${new Date().toLocaleTimeString()}: ${why}; `;
    if (tries < retries) {
      tries++;
      pane.append(`${ended}following again in ${retryMs / 1000} s, try ${tries} of ${retries})\n`);
      retry = setTimeout(() => start(true), retryMs);
    } else {
      pane.append(`${ended}it follows again when the daemon answers, or press Reload)\n`);
    }
  };
  const reconnected = () => { if (!live && follow.checked) start(); };
  window.addEventListener("gn-reconnected", reconnected);
  replica.addEventListener("change", () => start());
  follow.addEventListener("change", () => start());
  let known = "";
  start();
  return {
    el: h("section", {}, h("h2", {}, "Logs"), h("div", { class: "actions" }, h("label", {}, "Replica ", replica), h("label", {}, follow, " follow"),
      h("button", { onclick: () => start() }, "Reload")), pre),
    replicas(indexes) {
      const key = [...new Set(indexes.map(Number))].sort((a, b) => a - b).join(",");
      if (key === known) return;
      known = key;
      const current = replica.value;
      replica.replaceChildren(h("option", { value: "" }, "all replicas"), ...key.split(",").filter(Boolean).map(i => h("option", { value: i }, `replica ${i}`)));
      replica.value = current;
    },
    stop() { clearTimeout(retry); controller?.abort(); window.removeEventListener("gn-reconnected", reconnected); },
  };
}

