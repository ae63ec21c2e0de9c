// Validates rendered Kubernetes objects against the Kubernetes (and KEDA) OpenAPI schemas, offline:
//   kubectl kustomize k8s/overlays/gpu | node k8s/validate/validate.mjs
// Reads YAML (one or more documents) from standard input; prints one line per object and exits 1
// if any object is invalid or of a kind it has no schema for. Checks types, required fields and
// enumerations (not unknown fields: KustomizeManifestsTest asserts the fields that matter).
// Setup: npm ci --ignore-scripts --prefix k8s/validate
import { parseAllDocuments } from "yaml";

const input = await new Promise((resolve) => {
  let text = "";
  process.stdin.setEncoding("utf8");
  process.stdin.on("data", (chunk) => (text += chunk));
  process.stdin.on("end", () => resolve(text));
});

/** The module of an object's model: kubernetes-models for built-in kinds, KEDA's for KEDA's. */
function modulePath(apiVersion, kind) {
  const [group, version] = apiVersion.includes("/") ? apiVersion.split("/") : ["", apiVersion];
  if (group === "keda.sh") return `@kubernetes-models/keda/keda.sh/${version}/${kind}`;
  return group === "" ? `kubernetes-models/${version}/${kind}` : `kubernetes-models/${group}/${version}/${kind}`;
}

let failures = 0;
let count = 0;
for (const document of parseAllDocuments(input)) {
  if (document.errors.length > 0) {
    console.log(`YAML error: ${document.errors[0].message}`);
    failures++;
    continue;
  }
  const object = document.toJSON();
  if (object === null) continue;
  count++;
  const name = `${object.apiVersion} ${object.kind} ${object.metadata?.name}`;
  let Model;
  try {
    Model = (await import(modulePath(object.apiVersion, object.kind)))[object.kind];
  } catch (e) {
    console.log(`NO SCHEMA ${name}: ${e.message}`);
    failures++;
    continue;
  }
  try {
    new Model(object).validate();
    console.log(`valid ${name}`);
  } catch (e) {
    console.log(`INVALID ${name}: ${e.message}`);
    failures++;
  }
}
if (count === 0) {
  console.log("no objects on standard input");
  failures++;
}
process.exit(failures === 0 ? 0 : 1);
