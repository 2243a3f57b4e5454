// End-to-end tests: the real app in the real webview (WebKitWebDriver through
// tauri-driver), in simulated mode, under Xvfb. Run by `make e2e` as
//   xvfb-run -a -s "-screen 0 1280x800x24" dbus-run-session node e2e/run.mjs
// Screenshots of every screen go to target/e2e/<lang>-<nn>-<screen>.png.
import { spawn, execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
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
