// Whole-app figures for `make bench`: time to the first screen, memory (PSS
// summed over Baton and its WebKit processes) with the window open and with
// only the tray left, and the sizes of the release binary and the deb.
// Run under Xvfb: xvfb-run -a dbus-run-session node e2e/bench.mjs
import { spawn, execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync } from "node:fs";
import { createConnection } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { remote } from "webdriverio";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const BIN = process.env.BATON_APP ?? join(repo, "target/release/baton-app");
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const portOpen = (port) =>
  new Promise((ok) => {
    const s = createConnection({ port, host: "127.0.0.1" }, () => { s.end(); ok(true); });
    s.on("error", () => ok(false));
  });

/** PSS in KB of every process whose command line names `needle`, plus WebKit's. */
function pss(rootPid) {
  let total = 0;
  const pids = [];
  for (const d of readdirSync("/proc")) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const cmd = readFileSync(`/proc/${d}/cmdline`, "utf8");
      if (cmd.includes("baton-app") || cmd.includes("WebKitWebProcess") || cmd.includes("WebKitNetworkProcess")) {
        const rollup = readFileSync(`/proc/${d}/smaps_rollup`, "utf8");
        const m = rollup.match(/^Pss:\s+(\d+) kB/m);
        if (m) { total += Number(m[1]); pids.push(d); }
      }
    } catch { /* gone */ }
  }
  return { kb: total, processes: pids.length, rootPid };
}

const MINIMAL = join(repo, "target/release/minimal-app");

/** Launch to `selector` on screen, through WebDriver; keeps the session if asked. */
async function firstScreen(app, args, selector, keep = false) {
  const driver = spawn("tauri-driver", [], {
    env: { ...process.env, BATON_DATA_DIR: mkdtempSync(join(tmpdir(), "baton-bench-")), BATON_TODAY: "2026-11-28" },
    stdio: "ignore",
  });
  for (let i = 0; i < 100 && !(await portOpen(4444)); i++) await sleep(100);
  const started = performance.now();
  const browser = await remote({
    hostname: "127.0.0.1", port: 4444, logLevel: "error",
    capabilities: { browserName: "wry", "tauri:options": { application: app, args }, "wdio:enforceWebDriverClassic": true },
  });
  await browser.$(selector).waitForExist({ timeout: 30000, interval: 20 });
  const ms = performance.now() - started;
  const stop = async () => {
    await browser.deleteSession().catch(() => {});
    driver.kill("SIGTERM");
    await new Promise((r) => driver.once("exit", r));
    for (const p of [app, "WebKitWebDriver"]) {
      try { execFileSync("pkill", ["-TERM", "-f", p]); } catch { /* gone */ }
    }
    for (let i = 0; i < 50 && (await portOpen(4444)); i++) await sleep(100);
  };
  if (keep) return { ms, stop };
  await stop();
  return { ms };
}

const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const batonArgs = ["--simulate", join(repo, "scenarios/kis-to-bitdefender.json")];
const baton = [];
const minimal = [];
const batonPaint = [];
for (let i = 0; i < 3; i++) {
  batonPaint.push((await firstScreen(BIN, batonArgs, "main[data-screen]")).ms);
  baton.push((await firstScreen(BIN, batonArgs, 'main[data-screen="found"]')).ms);
  if (existsSync(MINIMAL)) minimal.push((await firstScreen(MINIMAL, [], "#ready")).ms);
}
const firstScreenMs = median(baton);
const measured = await firstScreen(BIN, batonArgs, 'main[data-screen="found"]', true);
await sleep(2000);
const open = pss();
await measured.stop();
await sleep(1000);
// Tray only: WebDriver ends the app with its last window, so start it the
// way login does (--hidden: no window, no webview) and measure that.
const hidden = spawn(BIN, ["--hidden", "--simulate", join(repo, "scenarios/kis-to-bitdefender.json")], {
  env: { ...process.env, BATON_DATA_DIR: mkdtempSync(join(tmpdir(), "baton-bench-")) },
  stdio: "ignore",
});
await sleep(5000);
const trayOnly = pss();
hidden.kill("SIGTERM");
await sleep(1000);

// Tray only after the user closed the window: started without WebDriver,
// then closed the way a window manager's close button closes it.
const direct = spawn(BIN, batonArgs, {
  env: { ...process.env, BATON_DATA_DIR: mkdtempSync(join(tmpdir(), "baton-bench-")), BATON_TODAY: "2026-11-28", BATON_HANDOVER_AFTER_MS: "2000" },
  stdio: "ignore",
});
await sleep(8000);
const beforeClose = pss();
let closedOk = true;
try {
  execFileSync(join(repo, "scripts/x11.py"), ["close", "Baton"], { stdio: "inherit" });
} catch {
  closedOk = false;
}
// The tray passes to a fresh process 2 s after the close (30 s by default).
await sleep(9000);
const afterClose = pss();
const stillRunning = afterClose.processes > 0;
const handedOver = direct.exitCode === 0;
direct.kill("SIGTERM");
try { execFileSync("pkill", ["-TERM", "-f", `${BIN} --hidden`]); } catch { /* gone */ }

const debDir = join(repo, "target/release/bundle/deb");
const deb = existsSync(debDir) ? readdirSync(debDir).filter((f) => f.endsWith(".deb")).map((f) => join(debDir, f))[0] : undefined;
const mb = (bytes) => (bytes / 1048576).toFixed(1);
const ratio = (x) => (minimal.length ? `, ${(x / median(minimal)).toFixed(2)}× the minimal app's ${median(minimal).toFixed(0)} ms` : "");
console.log(`bench-app: launch to first screen painted (through WebDriver, median of 3): ${median(batonPaint).toFixed(0)} ms${ratio(median(batonPaint))}`);
console.log(`bench-app: launch to the scan's results on screen: ${firstScreenMs.toFixed(0)} ms${ratio(firstScreenMs)}`);
console.log(`bench-app: PSS with the window open: ${(open.kb / 1024).toFixed(0)} MB over ${open.processes} processes`);
console.log(`bench-app: PSS tray-only, started at login (--hidden): ${(trayOnly.kb / 1024).toFixed(0)} MB over ${trayOnly.processes} processes`);
console.log(`bench-app: PSS with the window open (no WebDriver): ${(beforeClose.kb / 1024).toFixed(0)} MB over ${beforeClose.processes} processes`);
if (!closedOk) console.log("bench-app: PSS after closing the window: not measured (the window could not be closed)");
else if (!stillRunning) console.log("bench-app: PSS after closing the window: Baton exited instead of staying in the tray");
else console.log(`bench-app: PSS with only the tray left after closing the window: ${(afterClose.kb / 1024).toFixed(0)} MB over ${afterClose.processes} processes${handedOver ? " (a fresh tray-only process took over)" : ""}`);
console.log(`bench-app: release binary ${mb(statSync(BIN).size)} MB${deb ? `, deb ${mb(statSync(deb).size)} MB` : ", no deb built"}`);
