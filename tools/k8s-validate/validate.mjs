// Validates every manifest under a directory against the Kubernetes API schemas (kubernetes-models)
// and KEDA's (@kubernetes-models/keda), offline: no cluster needed. Exits 1 naming each invalid one.
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments } from "yaml";
import * as core from "kubernetes-models/v1";
import * as apps from "kubernetes-models/apps/v1";
import * as batch from "kubernetes-models/batch/v1";
import * as policy from "kubernetes-models/policy/v1";
import * as keda from "@kubernetes-models/keda/keda.sh/v1alpha1";

const models = {
  "v1": core,
  "apps/v1": apps,
  "batch/v1": batch,
  "policy/v1": policy,
  "keda.sh/v1alpha1": keda,
};

const directory = process.argv[2];
let problems = 0;
let checked = 0;
for (const file of readdirSync(directory).filter(f => f.endsWith(".yaml")).sort()) {
  for (const document of parseAllDocuments(readFileSync(join(directory, file), "utf8"))) {
    if (document.errors.length > 0) {
      console.error(`${file}: not YAML: ${document.errors[0].message}`);
      problems++;
      continue;
    }
    const manifest = document.toJS();
    const model = models[manifest?.apiVersion]?.[manifest?.kind];
    const name = `${file}: ${manifest?.kind} ${manifest?.metadata?.name}`;
    if (!model) {
      console.error(`${name}: no schema for apiVersion ${manifest?.apiVersion} kind ${manifest?.kind}`);
      problems++;
      continue;
    }
    try {
      new model(manifest).validate();
      checked++;
      console.log(`valid    ${name}`);
    } catch (error) {
      console.error(`INVALID  ${name}: ${error.message}`);
      problems++;
    }
  }
}
console.log(`${checked} manifest(s) valid, ${problems} problem(s)`);
process.exit(problems === 0 && checked > 0 ? 0 : 1);
