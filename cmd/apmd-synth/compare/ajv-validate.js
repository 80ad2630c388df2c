// Validates every record file of an APMD dataset folder with ajv 8 (draft 2020-12), the way
// a JavaScript pipeline would: the schemas are compiled once, then each file is read, parsed
// and validated in turn, on one thread.
//
//   node ajv-validate.js SCHEMA_DIR DATASET_DIR
//
// Prints one JSON line {tool, files, invalid, seconds}; exits 1 when a record is invalid.
"use strict";
const fs = require("fs");
const path = require("path");
const Ajv2020 = require("ajv/dist/2020");
const addFormats = require("ajv-formats");

const [schemaDir, dataDir] = process.argv.slice(2);
if (!schemaDir || !dataDir) {
  console.error("usage: node ajv-validate.js SCHEMA_DIR DATASET_DIR");
  process.exit(2);
}
const start = process.hrtime.bigint();
// strict: false lets ajv accept the schemas' annotation keywords (x-evidence, x-vocabulary).
const ajv = new Ajv2020({ strict: false });
addFormats(ajv);
const ids = {};
for (const f of fs.readdirSync(schemaDir)) {
  const s = JSON.parse(fs.readFileSync(path.join(schemaDir, f), "utf8"));
  ajv.addSchema(s);
  ids[f.replace(".schema.json", "")] = s.$id;
}
const folders = { sources: "source", groups: "group", incidents: "incident", claims: "claim" };
let files = 0, invalid = 0;
function walk(dir, validate) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      walk(p, validate);
    } else if (e.name.endsWith(".json")) {
      files++;
      let ok = false;
      try {
        ok = validate(JSON.parse(fs.readFileSync(p, "utf8")));
      } catch (err) {
        ok = false;
      }
      if (!ok) invalid++;
    }
  }
}
for (const [folder, kind] of Object.entries(folders)) {
  walk(path.join(dataDir, folder), ajv.getSchema(ids[kind]));
}
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
console.log(JSON.stringify({ tool: "ajv", files, invalid, seconds }));
process.exit(invalid > 0 ? 1 : 0);
