// Render many Mermaid diagrams in one headless Chromium session (a page per core).
//
// input:  JSON [{"id": "...", "code": "..."}, ...] in the file named by the
//         first argument, else on stdin
// stdout: JSON {"mermaid": "11.x.y", "results": [{"id", "ok", "error", "text"}, ...]}
// (`text`: the words the SVG shows, to check that labels survive escaping)
// Each diagram is parsed (mermaid.parse) and drawn (mermaid.render); a
// diagram fails if either throws or the SVG is mermaid's error picture.
// Exit code 0 when the browser ran (whatever the diagrams did), 2 otherwise.

import { readFileSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import puppeteer from "puppeteer-core";

const require = createRequire(import.meta.url);
const MERMAID_JS = require.resolve("mermaid/dist/mermaid.min.js");
const MERMAID_VERSION = require("mermaid/package.json").version;
const CHROMIUM = process.env.CHROMIUM || "/usr/bin/chromium";

const FLAGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
  "--disable-dev-shm-usage",
];

async function renderAll(page, diagrams) {
  return page.evaluate(async (items) => {
    // Obsidian's settings that matter for parsing: strict security, no auto start.
    window.mermaid.initialize({ startOnLoad: false, securityLevel: "strict", suppressErrorRendering: true });
    const results = [];
    for (const [index, item] of items.entries()) {
      try {
        await window.mermaid.parse(item.code);
        const { svg } = await window.mermaid.render(`diagram${index}`, item.code);
        const broken = /Syntax error in text|class="error-icon"/.test(svg);
        const doc = new DOMParser().parseFromString(svg, "text/html");
        doc.querySelectorAll("style").forEach((node) => node.remove());
        const text = doc.body.textContent;
        results.push({
          id: item.id, ok: !broken, error: broken ? "mermaid drew its error picture" : null,
          text: text.replace(/\s+/g, " ").trim(),
        });
      } catch (error) {
        results.push({ id: item.id, ok: false, error: String((error && error.message) || error) });
      }
      document.querySelectorAll("body > div[id^='ddiagram']").forEach((node) => node.remove());
    }
    return results;
  }, diagrams);
}

async function readInput() {
  if (process.argv[2]) return readFileSync(process.argv[2], "utf8");
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

async function main() {
  const diagrams = JSON.parse(await readInput());
  const profile = mkdtempSync(join(tmpdir(), "mermaid-render-"));
  let browser;
  try {
    browser = await puppeteer.launch({
      executablePath: CHROMIUM, headless: true, userDataDir: profile, args: FLAGS,
    });
    // One page per core, each with its share of the diagrams, in parallel.
    const pages = Math.max(1, Math.min(availableParallelism(), 4, diagrams.length));
    const shares = Array.from({ length: pages }, (_, p) => diagrams.filter((_, i) => i % pages === p));
    const done = await Promise.all(shares.map(async (share) => {
      const page = await browser.newPage();
      await page.setContent("<!doctype html><html><body></body></html>");
      await page.addScriptTag({ path: MERMAID_JS });
      return renderAll(page, share);
    }));
    const results = diagrams.map((_, i) => done[i % pages][Math.floor(i / pages)]);
    process.stdout.write(JSON.stringify({ mermaid: MERMAID_VERSION, results }));
  } finally {
    if (browser) await browser.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

main().catch((error) => {
  process.stderr.write(`render.mjs: ${error && error.stack ? error.stack : error}\n`);
  process.exit(2);
});
