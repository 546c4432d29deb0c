// bench/typst-ts.cjs IN.typ OUT.pdf — Typst (0.14, as the typst.ts library
// pinned in bench/peers) compiling one file to PDF, for bench/run when no
// `typst` binary is on PATH.  Fonts: the Noto CJK faces kmbook uses.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { NodeCompiler } = require(path.join(__dirname, "peers", "node_modules",
  "@myriaddreamin", "typst-ts-node-compiler"));
const [input, output] = process.argv.slice(2);
if (!input || !output) {
  console.error("usage: typst-ts.cjs IN.typ OUT.pdf");
  process.exit(2);
}
const compiler = NodeCompiler.create({
  workspace: path.dirname(path.resolve(input)),
  fontArgs: [{ fontPaths: ["/usr/share/fonts/opentype/noto"] }],
});
fs.writeFileSync(output, compiler.pdf({ mainFilePath: path.resolve(input) }));
