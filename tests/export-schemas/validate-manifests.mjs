// Validates Kubernetes manifests against the published JSON schemas (issue 18's proof for `gradient-node export`).
//
//   node validate-manifests.mjs FILE...
//
// Each YAML document of each FILE is checked with the model of its apiVersion/kind from `kubernetes-models`
// (core kinds), `@kubernetes-models/argo-workflows` or `@kubernetes-models/keda`. Every violation is one line
// on stdout, `FILE: document N: KIND NAME: PATH: message`; the exit status is 1 when any was found (an unknown
// kind or unreadable YAML counts), 0 otherwise. ./test.sh installs the packages (package.json, npm ci).
import { readFileSync } from "node:fs";
import { loadAll } from "js-yaml";

function packageOf(apiVersion) {
  const group = apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.indexOf("/")) : "";
  if (group === "argoproj.io") return "@kubernetes-models/argo-workflows";
  if (group === "keda.sh" || group.endsWith(".keda.sh")) return "@kubernetes-models/keda";
  return "kubernetes-models";
}

async function modelOf(apiVersion, kind) {
  try {
    const module = await import(`${packageOf(apiVersion)}/${apiVersion}`);
    return module[kind];
  } catch {
    return undefined;
  }
}

function path(instancePath) {
  return instancePath ? instancePath.slice(1).replaceAll("/", ".") : "(root)";
}

let violations = 0;
function report(line) {
  violations++;
  console.log(line);
}

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error("usage: node validate-manifests.mjs FILE...");
  process.exit(2);
}

for (const file of files) {
  let documents;
  try {
    documents = loadAll(readFileSync(file, "utf8")).filter((d) => d !== null && d !== undefined);
  } catch (error) {
    report(`${file}: not readable YAML: ${error.message}`);
    continue;
  }

  for (const [index, document] of documents.entries()) {
    const where = `${file}: document ${index + 1}`;
    const { apiVersion, kind } = document ?? {};
    const name = document?.metadata?.name ?? document?.metadata?.generateName ?? "(no name)";
    if (typeof apiVersion !== "string" || typeof kind !== "string") {
      report(`${where}: no apiVersion/kind`);
      continue;
    }

    const Model = await modelOf(apiVersion, kind);
    if (typeof Model !== "function") {
      report(`${where}: ${kind} ${name}: no published schema for ${apiVersion} ${kind}`);
      continue;
    }

    try {
      new Model(document).validate();
    } catch (error) {
      const errors = Array.isArray(error?.errors) ? error.errors : [{ instancePath: "", message: String(error?.message ?? error) }];
      for (const e of errors) {
        const detail = e.params && Object.keys(e.params).length > 0 ? ` ${JSON.stringify(e.params)}` : "";
        report(`${where}: ${kind} ${name}: ${path(e.instancePath)}: ${e.message}${detail}`);
      }
    }
  }
}

console.log(`${files.length} file(s) checked, ${violations} violation(s)`);
process.exit(violations === 0 ? 0 : 1);
