// @ts-check
/*
 * Build the widgets' front end: one ES module per widget, bundled by esbuild (pinned in
 * package.json / package-lock.json) from the small modules in cjm_widgets/widgets/static/src.
 *
 *   node scripts/build_js.mjs           write static/dist/<widget>.js
 *   node scripts/build_js.mjs --check   exit 1 naming every bundle that differs from its source
 *
 * Entries: src/<widget>/index.js and src/<widget>.js; names starting with "_" are shared
 * modules, not widgets. The bundles are committed, so `pip install` needs no Node.js.
 * "vega-embed" stays a bare import: emotion_curve.py has vl-convert supply Vega offline.
 */
import { readdirSync, readFileSync, existsSync, mkdirSync, writeFileSync, rmSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as esbuild from "esbuild";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const STATIC = join(ROOT, "cjm_widgets", "widgets", "static");
const SRC = join(STATIC, "src");
const DIST = join(STATIC, "dist");

/** @returns {Array<{ name: string, entry: string }>} the widgets, sorted by name */
export function entries() {
  /** @type {Array<{ name: string, entry: string }>} */
  const found = [];
  for (const item of readdirSync(SRC, { withFileTypes: true })) {
    if (item.name.startsWith("_")) continue;
    if (item.isDirectory() && existsSync(join(SRC, item.name, "index.js"))) {
      found.push({ name: item.name, entry: join(SRC, item.name, "index.js") });
    } else if (item.isFile() && item.name.endsWith(".js")) {
      found.push({ name: item.name.slice(0, -3), entry: join(SRC, item.name) });
    }
  }
  return found.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Bundle one widget in memory.
 * @param {{ name: string, entry: string }} widget
 * @returns {Promise<string>} the ES module text
 */
export async function bundle(widget) {
  const source = relative(ROOT, widget.entry).split("\\").join("/");
  const result = await esbuild.build({
    entryPoints: [widget.entry],
    absWorkingDir: ROOT,
    bundle: true,
    write: false,
    format: "esm",
    platform: "browser",
    target: "es2022",
    charset: "utf8",
    legalComments: "none",
    // whitespace and syntax only (names kept, so errors stay readable): each widget's module
    // travels in its widget state, and a saved notebook holds one per widget shown
    minifyWhitespace: true,
    minifySyntax: true,
    external: ["vega-embed"],
    logLevel: "silent",
    banner: {
      js: `// Generated from ${source} by scripts/build_js.mjs (npm run build): do not edit.`,
    },
  });
  return result.outputFiles[0].text;
}

async function main() {
  const check = process.argv.includes("--check");
  const widgets = entries();
  const wanted = new Set(widgets.map((w) => `${w.name}.js`));
  /** @type {string[]} */
  const stale = [];
  if (!check) mkdirSync(DIST, { recursive: true });
  for (const widget of widgets) {
    const text = await bundle(widget);
    const out = join(DIST, `${widget.name}.js`);
    const old = existsSync(out) ? readFileSync(out, "utf8") : null;
    if (old === text) continue;
    if (check) stale.push(relative(ROOT, out));
    else writeFileSync(out, text, "utf8");
  }
  const extra = existsSync(DIST) ? readdirSync(DIST).filter((f) => !wanted.has(f)) : [];
  for (const name of extra) {
    if (check) stale.push(`${relative(ROOT, join(DIST, name))} (no source in static/src)`);
    else rmSync(join(DIST, name));
  }
  if (stale.length) {
    console.error(
      `Front-end bundles out of date with static/src:\n  ${stale.join("\n  ")}\n`
        + "Run `npm ci && npm run build` and commit cjm_widgets/widgets/static/dist.",
    );
    process.exitCode = 1;
  } else {
    console.log(`${widgets.length} bundles ${check ? "up to date" : "written"} in ${relative(ROOT, DIST)}`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
