// One dataset's page: its versions, each with its size, tags and the replicas or workflow jobs that mount it.
import { main, h, api, poll, rerender, bytes, fmtTime, tableBox } from "./lib.js";

export function datasetPage(name) {
  const box = h("section", { id: "dataset" });
  main.replaceChildren(h("p", {}, h("a", { href: "#/datasets" }, "← Datasets")), h("h1", {}, `Dataset ${name}`), box);
  const p = poll(async () => {
    const enc = encodeURIComponent(name);
    let versions, users;
    try { [versions, users] = await Promise.all([api(`datasets/${enc}/versions`), api(`datasets/${enc}/users`)]); } catch (e) {
      if (e.status !== 404) throw e;
      // A dataset the node does not have (removed, or mistyped): said once, not in red in the header every 5 s.
      p.stop();
      rerender(box, h("p", { id: "not-found" }, `${e.message}. The datasets the node has are in the list.`));
      return;
    }
    const byVersion = new Map();
    for (const u of users) (byVersion.get(u.version) ?? byVersion.set(u.version, []).get(u.version)).push(u);
    rerender(box, versions.length === 0 ? h("p", { class: "muted" }, "No versions yet.") :
      tableBox("Versions", h("table", { id: "versions" },
        h("thead", {}, h("tr", {}, ["Version", "Created", "Tags", "Size", "Files", "Message", "Used by"]
          .map((t, i) => h("th", { scope: "col", class: i === 3 || i === 4 ? "num" : null }, t)))),
        h("tbody", {}, versions.map(v => h("tr", { "data-version": v.version },
          h("td", {}, `${v.dataset}:${v.version}`, v.isCommitted === false ? " (uncommitted)" : ""),
          h("td", { class: "created" }, v.created ? h("time", { datetime: v.created }, fmtTime(v.created)) : "–"),
          h("td", {}, (v.tags || []).join(", ") || "–"),
          h("td", { class: "num" }, bytes(v.bytes)),
          h("td", { class: "num" }, v.files ?? "–"),
          h("td", {}, v.message ?? ""),
          h("td", { class: "users" }, usersCell(byVersion.get(v.version)))))))));
  }, 5000);
  return p;
}

// "deployment 'web' replica 0 (running)", one per line, each a link to the deployment's or the run's page; "–" when no
// container mounts the version.
const usersCell = list => !list?.length ? "–"
  : h("ul", { class: "plain" }, list.map(u => h("li", {}, userLink(u.user), u.running ? " (running)" : " (stopped)")));

// The API's user text (api.md: `deployment 'NAME' replica N` or `workflow 'NAME' run N job 'ID'`) as a link to its page.
function userLink(user) {
  const d = user.match(/^deployment '(.+)' replica \d+$/);
  const w = user.match(/^workflow '(.+)' run (\d+) job '.+'$/);
  const href = d ? `#/d/${encodeURIComponent(d[1])}` : w ? `#/w/${encodeURIComponent(w[1])}/${w[2]}` : null;
  return href ? h("a", { href }, user) : user;
}
