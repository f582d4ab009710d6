// Gradient Node console, shared helpers. Every value from the API goes into the page as text (textContent), never
// as HTML. Calls go to /api/... on this origin; the console forwards only a whitelist.
export const main = document.getElementById("main");
export const conn = document.getElementById("conn");

export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith("on")) el.addEventListener(k.slice(2), v); else el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) if (c !== null && c !== undefined) el.append(c instanceof Node ? c : String(c));
  return el;
}

// The daemon out of reach (the console's 502, or no answer at all: the daemon-served console restarting, the network
// down): the page keeps what it last showed, marked stale (body[data-stale], dimmed) under a banner that says since when
// and from when the data is, until a call is answered again; never a silent last "Ready".
let lostAt = null, answeredAt = null;
const lostError = reason => {
  lostAt ??= new Date();
  document.body.setAttribute("data-stale", "");
  conn.className = "down";
  const banner = `Lost contact with the daemon at ${lostAt.toLocaleTimeString()} (${reason}). `
    + (answeredAt ? `What this page shows is from ${answeredAt.toLocaleTimeString()} and may be out of date; ` : "") + "retrying every few seconds.";
  if (conn.textContent !== banner) conn.textContent = banner; // a live region: said once, not again at every failed poll
  return Object.assign(new Error(reason), { status: 502, lost: true });
};

export async function api(path, options = {}) {
  let res;
  try { res = await fetch("/api/" + path, options); } catch (e) {
    if (e.name === "AbortError") throw e;
    throw lostError("no answer from the console: the daemon restarting, or the network down");
  }
  const type = res.headers.get("content-type") || "";
  const body = type.includes("json") ? await res.json() : await res.text();
  if (res.status === 502) throw lostError(body.error || "daemon unreachable");
  // Back in contact: the log panes whose stream ended while it was lost follow again ("gn-reconnected").
  if (lostAt !== null) window.dispatchEvent(new Event("gn-reconnected"));
  lostAt = null;
  answeredAt = new Date();
  document.body.removeAttribute("data-stale");
  conn.textContent = "";
  conn.className = "";
  if (!res.ok) throw Object.assign(new Error(body.error || body || res.statusText), { status: res.status, body });
  return body;
}

// Why a log fetch was not answered 2xx, in words: the daemon's text (a logs endpoint answers text/plain) or the console's
// JSON `error`; never the raw body shown as if it were log lines.
export async function refusal(res) {
  const text = (await res.text().catch(() => "")).trim();
  let why = text;
  try { why = JSON.parse(text).error ?? text; } catch { /* plain text */ }
  return `${res.status} ${res.statusText}${why ? `: ${why}` : ""}`.trim();
}

// A log pane keeps at most the last LOG_LINES lines and LOG_CHARS characters: a followed 100,000-line log, or one line of
// megabytes, would otherwise grow the page's memory and its layout without end. Past either cap the oldest lines go (down
// to 3/4 of the cap, so the trim is rare), and the pane's first line says how many were not kept. Chunks are appended as
// text nodes and counted as they come: the pane's text is read back only to trim (before, every chunk read it all).
export const LOG_LINES = 10000, LOG_CHARS = 500000;
export function logPane(pre) {
  let lines = 0, chars = 0, dropped = 0;
  const keepLines = LOG_LINES * 3 / 4, keepChars = LOG_CHARS * 3 / 4;
  const note = () => `(${dropped.toLocaleString("en")} earlier lines not kept: this pane keeps the last ${LOG_LINES.toLocaleString("en")} lines; `
    + "gradient-node logs prints them all)\n";
  return {
    clear() { pre.textContent = ""; lines = chars = dropped = 0; },
    append(text) {
      pre.append(text);
      chars += text.length;
      for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) lines++;
      if (lines <= LOG_LINES && chars <= LOG_CHARS) return;
      let all = pre.textContent, left = lines;
      if (dropped) { all = all.slice(all.indexOf("\n") + 1); left--; } // the previous note
      // Whole lines go from the front until both are at 3/4 of their cap; a line longer than that alone (the last one,
      // or one with little after it) keeps its end, after "…".
      let cut = 0, head = "";
      while (left > keepLines || all.length - cut > keepChars) {
        const nl = all.indexOf("\n", cut);
        if (nl === -1 || (left <= keepLines && all.length - nl - 1 < keepChars / 2)) {
          cut = all.length - keepChars;
          head = "…";
          break;
        }
        cut = nl + 1; left--; dropped++;
      }
      pre.textContent = (dropped ? note() : "") + head + all.slice(cut);
      lines = left + (dropped ? 1 : 0);
      chars = pre.textContent.length;
    },
  };
}

export async function act(name, action, query = "") {
  return api(`deployments/${encodeURIComponent(name)}/${action}${query}`, { method: "POST", headers: { "X-Gradient-Console": "1" } });
}

export function poll(fn, ms = 2000) {
  let timer = null, stopped = false;
  const tick = async () => {
    try { await fn(); } catch (e) { if (!e.lost) { if (conn.textContent !== e.message) conn.textContent = e.message; conn.className = "down"; } }
    if (!stopped) timer = setTimeout(tick, ms);
  };
  tick();
  return { stop() { stopped = true; clearTimeout(timer); } };
}

// Live pages redraw parts of themselves every few seconds. A keyboard user whose focus sits on a control inside the
// redrawn part would otherwise lose it (focus falls back to <body>): put the new children in, then focus the new
// control with the same key (data-key, else href, else id).
const focusKey = el => el?.getAttribute?.("data-key") ?? el?.getAttribute?.("href") ?? (el?.id ? `#${el.id}` : null);
export function rerender(box, ...children) {
  const active = document.activeElement;
  const key = active && active !== box && box.contains(active) ? focusKey(active) : null;
  // A table box scrolled sideways (a phone) stays where it was when its table is drawn again.
  const scrolled = new Map([...box.querySelectorAll(".table-scroll[data-key]")].map(el => [el.getAttribute("data-key"), el.scrollLeft]));
  box.replaceChildren(...children);
  for (const el of box.querySelectorAll(".table-scroll[data-key]")) el.scrollLeft = scrolled.get(el.getAttribute("data-key")) ?? 0;
  if (key === null) return;
  for (const el of box.querySelectorAll("[data-key], a[href], [id]")) {
    if (focusKey(el) === key) { el.focus({ preventScroll: true }); return; }
  }
}

// A table in a box that scrolls sideways when the table is wider than the window (a phone, 390 px): the table stays
// display:table, which screen readers read as a table (a display:block table, the way it scrolled before, some read as
// text), and the box is a named region that keyboard users can focus and scroll with the arrow keys.
export const tableBox = (label, table) =>
  h("div", { class: "table-scroll", role: "region", "aria-label": label, tabindex: 0, "data-key": `table:${label}` }, table);

export const stateBadge = s => h("span", { class: `state state-${s}`, "data-state": s }, s);
export const fmtSec = v => v === null || v === undefined ? "–" : `${(v * 1000).toFixed(v < 0.01 ? 1 : 0)} ms`;
// A time of today as the time alone; an older one (a replica up since last week, a scale kept across restarts, a dataset
// version) with its date too, so "09:14:02" never means "some day at 09:14".
export const fmtTime = t => {
  if (!t) return "–";
  const d = new Date(t);
  return d.toDateString() === new Date().toDateString() ? d.toLocaleTimeString() : d.toLocaleString();
};
// Date and time, for what may be days old (a workflow run); fmtTime's time alone suits the live pages.
export const fmtDateTime = t => t ? new Date(t).toLocaleString() : "–";
export const bytes = n => n === null || n === undefined ? "–" : n < 1024 ? `${n} B` : n < 1 << 20 ? `${(n / 1024).toFixed(1)} KiB` : n < 1 << 30 ? `${(n / (1 << 20)).toFixed(1)} MiB` : `${(n / (1 << 30)).toFixed(2)} GiB`;

export function lastChange(d) {
  const times = [d.rollout?.lastProgress, ...(d.instances || []).flatMap(i => (i.history || []).map(x => x.timestamp))].filter(Boolean);
  return times.length ? times.sort().at(-1) : null;
}

export const cell = v => v === null || v === undefined ? "–" : Array.isArray(v) ? (v.length ? v.map(cell).join(", ") : "–")
  : typeof v === "object" ? Object.entries(v).map(([k, x]) => `${k}: ${cell(x)}`).join(", ") || "–" : v;
