// End-to-end tests: the real app in the real webview (WebKitWebDriver through
// tauri-driver), in simulated mode, under Xvfb. Run by `make e2e` as
//   xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session node e2e/run.mjs
// Screenshots of every screen go to target/e2e/<lang>-<nn>-<screen>.png.
import { spawn, execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { inflateSync } from "node:zlib";
import { createConnection } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { remote } from "webdriverio";

const repo = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const BIN = process.env.BATON_APP ?? join(repo, "target/debug/baton-app");
const OUT = join(repo, "target/e2e");
const scenario = (name) => join(repo, "scenarios", `${name}.json`);
mkdirSync(OUT, { recursive: true });

const failures = [];
let passed = 0;

function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}

async function portOpen(port) {
  return new Promise((ok) => {
    const s = createConnection({ port, host: "127.0.0.1" }, () => { s.end(); ok(true); });
    s.on("error", () => ok(false));
  });
}

function stopApps() {
  for (const pattern of [BIN, "WebKitWebDriver"]) {
    try { execFileSync("pkill", ["-TERM", "-f", pattern]); } catch { /* none running */ }
  }
}

/** Starts tauri-driver with the app's environment, then a session. */
async function session(name, args, dataDir, env = {}) {
  const driver = spawn("tauri-driver", [], {
    env: { ...process.env, BATON_DATA_DIR: dataDir, BATON_TODAY: "2026-11-28", BATON_SIMULATE_PACE_MS: "400", ...env },
    stdio: ["ignore", "ignore", "inherit"],
  });
  for (let i = 0; i < 100 && !(await portOpen(4444)); i++) await sleep(100);
  const browser = await remote({
    hostname: "127.0.0.1",
    port: 4444,
    logLevel: "error",
    connectionRetryTimeout: 60000,
    capabilities: {
      browserName: "wry",
      "tauri:options": { application: BIN, args },
      "wdio:enforceWebDriverClassic": true,
    },
  });
  const close = async () => {
    await browser.deleteSession().catch(() => {});
    // SIGTERM, not SIGKILL, or WebKitWebDriver keeps port 4445.
    driver.kill("SIGTERM");
    await new Promise((r) => driver.once("exit", r));
    stopApps();
    for (let i = 0; i < 50 && (await portOpen(4444)); i++) await sleep(100);
  };
  return { browser, close };
}

async function test(name, body) {
  process.stdout.write(`e2e: ${name} … `);
  try {
    await body();
    passed++;
    console.log("ok");
  } catch (e) {
    failures.push(`${name}: ${e?.stack ?? e}`);
    console.log("FAILED");
    console.log(String(e?.stack ?? e));
  }
}

function assert(cond, message) {
  if (!cond) throw new Error(message);
}

async function screen(browser, id, timeout = 30000) {
  await browser.$(`main[data-screen="${id}"]`).waitForExist({ timeout });
}

async function shot(browser, lang, n, id) {
  await sleep(250);
  await browser.saveScreenshot(join(OUT, `${lang}-${String(n).padStart(2, "0")}-${id}.png`));
}

async function click(browser, selector) {
  const el = await browser.$(selector);
  await el.waitForEnabled({ timeout: 20000 });
  await el.scrollIntoView({ block: "center" });
  // The sticky footer can sit over a button WebKit scrolled to the edge;
  // a DOM click is what a user's click ends in.
  await browser.execute((e) => e.click(), el);
}

/** axe-core in the page: no serious or critical violation (contrast included). */
async function accessible(browser, where) {
  const axe = readFileSync(join(repo, "ui/node_modules/axe-core/axe.min.js"), "utf8");
  await browser.execute(axe);
  const violations = await browser.executeAsync((done) => {
    // eslint-disable-next-line no-undef
    axe.run(document, { resultTypes: ["violations"] }).then((r) =>
      done(r.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => `${v.id}: ${v.nodes.length} node(s)`)),
    );
  });
  assert(violations.length === 0, `${where}: accessibility violations: ${violations.join("; ")}`);
}

/** Presses Tab until `selector` has the focus, and checks the focus shows. */
async function tabTo(browser, selector, limit = 80) {
  for (let i = 0; i < limit; i++) {
    await browser.keys(["Tab"]);
    const hit = await browser.execute((sel) => document.activeElement?.matches(sel) ?? false, selector);
    if (!hit) continue;
    const visible = await browser.execute(() => {
      const style = getComputedStyle(document.activeElement);
      return style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
    });
    assert(visible, `${selector} has the focus but no visible outline`);
    return;
  }
  throw new Error(`Tab never reached ${selector}`);
}

async function setLanguage(browser, lang) {
  await browser.$("#language").selectByAttribute("value", lang);
  await sleep(200);
}

/** The whole KIS-to-Bitdefender flow, with a screenshot of every screen. */
async function fullFlow(lang) {
  const data = mkdtempSync(join(tmpdir(), "baton-e2e-"));
  const { browser, close } = await session(`full-${lang}`, ["--simulate", scenario("kis-to-bitdefender")], data);
  try {
    await screen(browser, "found");
    if (lang !== "en") await setLanguage(browser, lang);
    const status = await browser.$("#status-banner").getText();
    assert(status.length > 0, "no status banner");
    const atRisk = { en: "At risk", ru: "Под угрозой", es: "En riesgo" }[lang];
    assert(status.includes(atRisk), `status banner says ${status}`);
    if (lang === "en") await accessible(browser, "found");
    await shot(browser, lang, 1, "found");
    await click(browser, "#next");
    await screen(browser, "why");
    if (lang === "en") {
      const frozen = await browser.$("#frozen").getText();
      assert(frozen.includes("790 days") && frozen.includes("2 years, 1 month ago"), `frozen: ${frozen}`);
    }
    await shot(browser, lang, 2, "why");
    await click(browser, "#next");
    await screen(browser, "choose");
    await click(browser, "#show");
    await browser.$('[data-product="bitdefender-free"]').waitForExist({ timeout: 20000 });
    assert(await browser.$('[data-product="microsoft-defender"]').isExisting(), "the built-in option is missing");
    await click(browser, '[data-product="bitdefender-free"] input[type="radio"]');
    // What Rust says about a product arrives in the user's language too.
    const card = await browser.execute(() => document.querySelector('[data-product="bitdefender-free"]').textContent);
    const runsOn = { en: "Runs on Windows.", ru: "Работает в Windows.", es: "Funciona en Windows." }[lang];
    assert(card.includes(runsOn), `bitdefender card: ${card}`);
    await shot(browser, lang, 3, "choose");
    await click(browser, "#next");
    await screen(browser, "prepare");
    assert(!(await browser.$("#start").isEnabled()), "start is enabled before the checklist is ticked");
    for (const box of await browser.$$('main[data-screen="prepare"] input[type="checkbox"]')) await browser.execute((e) => e.click(), box);
    await shot(browser, lang, 4, "prepare");
    await click(browser, "#start");
    await screen(browser, "removing");
    await shot(browser, lang, 5, "removing");
    await screen(browser, "restart", 60000);
    await shot(browser, lang, 6, "restart");
    await click(browser, "#restart");
    await screen(browser, "installing", 60000);
    await browser.$("#download").waitForExist({ timeout: 30000 });
    await shot(browser, lang, 7, "installing");
    await screen(browser, "done", 60000);
    const done = await browser.$("#status-banner").getText();
    const protectedWord = { en: "Protected", ru: "Защищён", es: "Protegido" }[lang];
    assert(done.includes(protectedWord), `done says ${done}`);
    const notes = await browser.execute(() => document.querySelector("main").textContent);
    const nowProtects = { en: "Bitdefender Antivirus Free now protects this computer.", ru: "Теперь этот компьютер защищает Bitdefender Antivirus Free.", es: "Ahora Bitdefender Antivirus Free protege este equipo." }[lang];
    assert(notes.includes(nowProtects), `the done screen's step notes: ${notes}`);
    await shot(browser, lang, 8, "done");
    if (lang === "en") await accessible(browser, "done");
  } finally {
    await close();
    rmSync(data, { recursive: true, force: true });
  }
}

if (process.argv.includes("--smoke")) {
  // The installed package: its binary starts and shows its window.
  await test(`installed app ${BIN} opens its window`, async () => {
    const data = mkdtempSync(join(tmpdir(), "baton-e2e-"));
    const { browser: b, close } = await session("smoke", ["--simulate", scenario("already-protected")], data);
    try {
      assert((await b.getTitle()) === "Baton", `title: ${await b.getTitle()}`);
      await screen(b, "fine");
      await b.saveScreenshot(join(OUT, "deb-installed-window.png"));
    } finally {
      await close();
      rmSync(data, { recursive: true, force: true });
    }
  });
  console.log(`e2e: ${passed} passed, ${failures.length} failed`);
  process.exit(failures.length ? 1 : 0);
}

await test("full flow in English", () => fullFlow("en"));
await test("full flow in Russian", () => fullFlow("ru"));
await test("full flow in Spanish", () => fullFlow("es"));

await test("a restart in the middle resumes", async () => {
  const data = mkdtempSync(join(tmpdir(), "baton-e2e-"));
  try {
    let s = await session("restart-1", ["--simulate", scenario("kis-to-bitdefender")], data);
    const b = s.browser;
    await screen(b, "found");
    await click(b, "#next");
    await screen(b, "why");
    await click(b, "#next");
    await screen(b, "choose");
    await click(b, "#show");
    await b.$('[data-product="bitdefender-free"] input[type="radio"]').waitForExist({ timeout: 20000 });
    await click(b, '[data-product="bitdefender-free"] input[type="radio"]');
    await click(b, "#next");
    await screen(b, "prepare");
    for (const box of await b.$$('main[data-screen="prepare"] input[type="checkbox"]')) await b.execute((e) => e.click(), box);
    await click(b, "#start");
    await screen(b, "restart", 60000);
    // The app is stopped at the restart screen, as a restart would.
    await s.close();
    s = await session("restart-2", ["--simulate", scenario("kis-to-bitdefender")], data);
    await screen(s.browser, "done", 60000);
    await shot(s.browser, "en", 9, "resumed-done");
    await s.close();
  } finally {
    rmSync(data, { recursive: true, force: true });
  }
});

await test("a refused administrator prompt, then a retry", async () => {
  const data = mkdtempSync(join(tmpdir(), "baton-e2e-"));
  const { browser: b, close } = await session("uac", ["--simulate", scenario("uac-refused-then-retry")], data);
  try {
    await screen(b, "found");
    await click(b, "#next");
    await click(b, "#next");
    await screen(b, "choose");
    await click(b, "#show");
    await b.$('[data-product="eset-home-security-essential"]').waitForExist({ timeout: 20000 }).catch(async () => {
      await click(b, 'input[value="paid"]');
      await click(b, "#show");
      await b.$('[data-product="eset-home-security-essential"]').waitForExist({ timeout: 20000 });
    });
    await click(b, '[data-product="eset-home-security-essential"] input[type="radio"]');
    await click(b, "#next");
    await screen(b, "prepare");
    for (const box of await b.$$('main[data-screen="prepare"] input[type="checkbox"]')) await b.execute((e) => e.click(), box);
    await click(b, "#start");
    await b.$("#outcome").waitForExist({ timeout: 60000 });
    const text = await b.$("#outcome").getText();
    assert(text.includes("administrator"), `outcome: ${text}`);
    await shot(b, "en", 10, "uac-refused");
    await click(b, "#retry");
    await screen(b, "done", 60000);
  } finally {
    await close();
    rmSync(data, { recursive: true, force: true });
  }
});

await test("the wizard works with the keyboard alone", async () => {
  const data = mkdtempSync(join(tmpdir(), "baton-e2e-"));
  const { browser: b, close } = await session("keyboard", ["--simulate", scenario("kis-to-bitdefender")], data);
  try {
    await screen(b, "found");
    await tabTo(b, "#next");
    await b.keys(["Enter"]);
    await screen(b, "why");
    await tabTo(b, "#next");
    await b.keys(["Enter"]);
    await screen(b, "choose");
    await tabTo(b, "#show");
    await b.keys(["Enter"]);
    await b.$('[data-product="bitdefender-free"]').waitForExist({ timeout: 20000 });
    // A radio group is one Tab stop; the arrow keys move through it.
    await tabTo(b, 'input[name="chosen"]');
    for (let i = 0; i < 20; i++) {
      const on = await b.execute(() => document.activeElement.closest("[data-product]")?.dataset.product);
      if (on === "bitdefender-free") break;
      await b.keys(["ArrowDown"]);
    }
    await b.keys([" "]);
    assert(await b.$('[data-product="bitdefender-free"] input[type="radio"]').isSelected(), "arrow keys did not choose Bitdefender");
    await tabTo(b, "#next");
    await b.keys(["Enter"]);
    await screen(b, "prepare");
    for (const box of await b.$$('main[data-screen="prepare"] input[type="checkbox"]')) {
      await tabTo(b, `#${await box.getAttribute("id")}`);
      await b.keys([" "]);
    }
    assert(await b.$("#start").isEnabled(), "ticking the checklist with the keyboard did not enable Start");
    await tabTo(b, "#start");
    await b.keys(["Enter"]);
    await screen(b, "restart", 60000);
    await shot(b, "en", 12, "keyboard-restart");
  } finally {
    await close();
    rmSync(data, { recursive: true, force: true });
  }
});

// ── The tray, in a real tray host ─────────────────────────────────────────
// trayer is an XEmbed system tray; with no StatusNotifier host on the bus,
// AppIndicator falls back to embedding its icon there, as on a plain X11
// desktop. Baton starts the way login starts it (--hidden, no window).

const x11 = (...args) => execFileSync(join(repo, "scripts/x11.py"), args, { stdio: ["ignore", "ignore", "inherit"] });

/** The RGB pixels of a PNG that scripts/x11.py wrote (8-bit RGB, no filter). */
function readPng(path) {
  const buf = readFileSync(path);
  const width = buf.readUInt32BE(16);
  const height = buf.readUInt32BE(20);
  const idat = [];
  for (let at = 8; at < buf.length; ) {
    const len = buf.readUInt32BE(at);
    if (buf.toString("latin1", at + 4, at + 8) === "IDAT") idat.push(buf.subarray(at + 8, at + 8 + len));
    at += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  return { width, height, at: (x, y) => { const i = y * (width * 3 + 1) + 1 + x * 3; return [raw[i], raw[i + 1], raw[i + 2]]; } };
}

/** Where pixels near `rgb` are on the screenshot, if at least `min` are. */
function find(png, rgb, min = 40) {
  let n = 0, sx = 0, sy = 0;
  for (let y = 0; y < png.height; y++) {
    for (let x = 0; x < png.width; x++) {
      const p = png.at(x, y);
      if (Math.abs(p[0] - rgb[0]) + Math.abs(p[1] - rgb[1]) + Math.abs(p[2] - rgb[2]) < 40) { n++; sx += x; sy += y; }
    }
  }
  return n >= min ? { x: Math.round(sx / n), y: Math.round(sy / n), n } : null;
}

async function withTray(scenarioName, body) {
  const tray = spawn("trayer", ["--edge", "top", "--align", "right", "--widthtype", "pixel", "--width", "160", "--heighttype", "pixel", "--height", "40", "--transparent", "false", "--tint", "0xffffff", "--SetDockType", "true"], { stdio: "ignore" });
  await sleep(1500);
  const data = mkdtempSync(join(tmpdir(), "baton-e2e-"));
  const app = spawn(BIN, ["--hidden", "--simulate", scenario(scenarioName)], {
    env: { ...process.env, BATON_DATA_DIR: data, BATON_TODAY: "2026-11-28", BATON_HANDOVER_AFTER_MS: "1000" },
    stdio: "ignore",
  });
  try {
    await body(app);
  } finally {
    if (app.exitCode === null) app.kill("SIGTERM");
    stopApps();
    tray.kill("SIGTERM");
    await sleep(500);
    rmSync(data, { recursive: true, force: true });
  }
}

/** Waits for the tray icon to take the colour of a state; returns where it is. */
async function trayIcon(rgb, file) {
  const strip = join(OUT, file);
  for (let i = 0; i < 60; i++) {
    x11("grab", strip, "1120", "0", "160", "40");
    const hit = find(readPng(strip), rgb);
    if (hit) return { x: 1120 + hit.x, y: hit.y };
    await sleep(500);
  }
  throw new Error(`the tray never showed the colour ${rgb} (last look: ${strip})`);
}

const trayProcesses = () => {
  try {
    return execFileSync("pgrep", ["-f", `${BIN} --hidden`], { encoding: "utf8" }).trim().split("\n").filter(Boolean);
  } catch {
    return [];
  }
};

await test("the tray in a real tray host: at risk; Open Baton; closing hands the tray to a fresh process; Quit", async () => {
  await withTray("kis-to-bitdefender", async (app) => {
    const icon = await trayIcon([0xa1, 0x5c, 0x00], "en-tray-at-risk.png");
    // Linux tray icons get no click of their own: the click opens the menu.
    execFileSync("xdotool", ["mousemove", String(icon.x), String(icon.y), "click", "1"]);
    await sleep(1500);
    x11("grab", join(OUT, "en-tray-menu.png"), "960", "0", "320", "200");
    const menu = readPng(join(OUT, "en-tray-menu.png"));
    assert(find(menu, [0xff, 0xff, 0xff], 2000), "no menu opened under the tray icon");
    // The status line is disabled, so the first item the keys reach is Open Baton.
    execFileSync("xdotool", ["key", "Down", "Return"]);
    let opened = false;
    for (let i = 0; i < 40 && !opened; i++) {
      await sleep(500);
      // A simulated machine says so in its window title too.
      try { x11("has", "Simulation: Baton"); opened = true; } catch { /* not yet */ }
    }
    assert(opened, "Open Baton in the tray menu did not open the window");
    await sleep(3000);
    x11("close", "Simulation: Baton");
    // The window's memory goes with its process: a fresh tray-only process
    // takes over (after BATON_HANDOVER_AFTER_MS) and this one exits cleanly.
    for (let i = 0; i < 60 && app.exitCode === null; i++) await sleep(250);
    assert(app.exitCode === 0, `closing the window did not hand the tray over (exit ${app.exitCode})`);
    assert(trayProcesses().length === 1, `expected one tray-only Baton, found ${trayProcesses().length}`);
    const again = await trayIcon([0xa1, 0x5c, 0x00], "en-tray-after-handover.png");
    execFileSync("xdotool", ["mousemove", String(again.x), String(again.y), "click", "1"]);
    await sleep(1500);
    // Up from the top wraps to the last item: Quit.
    execFileSync("xdotool", ["key", "Up", "Return"]);
    for (let i = 0; i < 40 && trayProcesses().length; i++) await sleep(250);
    assert(trayProcesses().length === 0, "Quit in the tray menu did not end Baton");
  });
});

await test("the tray icon in a real tray host: protected", async () => {
  await withTray("already-protected", async () => {
    await trayIcon([0x1a, 0x7f, 0x37], "en-tray-protected.png");
  });
});

await test("already protected: the short page", async () => {
  const data = mkdtempSync(join(tmpdir(), "baton-e2e-"));
  const { browser: b, close } = await session("fine", ["--simulate", scenario("already-protected")], data);
  try {
    await screen(b, "fine");
    const text = await b.$("main").getText();
    assert(text.includes("You're fine"), text);
    await shot(b, "en", 11, "fine");
    await setLanguage(b, "es");
    assert((await b.$("main h1").getText()).includes("Todo está bien"), "Spanish title");
    await shot(b, "es", 11, "fine");
    await accessible(b, "fine");
  } finally {
    await close();
    rmSync(data, { recursive: true, force: true });
  }
});

console.log(`e2e: ${passed} passed, ${failures.length} failed; screenshots in ${OUT}`);
if (failures.length) process.exit(1);
