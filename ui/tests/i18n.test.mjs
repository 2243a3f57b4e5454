// Every message exists in every language, every key the UI uses exists, and
// no component hard-codes text a user reads.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const src = join(dirname(fileURLToPath(import.meta.url)), "../src");
const load = (l) => JSON.parse(readFileSync(join(src, "i18n", `${l}.json`), "utf8"));
const langs = { en: load("en"), ru: load("ru"), es: load("es") };
// Timeline and catalog texts come from Rust's data files in English; other
// languages translate them by event id, or by product id and note index.
const translatedOnly = (k) => k.startsWith("timeline.") || k.startsWith("catalog.");
const data = (f) => readFileSync(join(src, "../../crates/baton-core/data", f), "utf8");

function sources() {
  const out = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.(svelte|ts)$/.test(e.name)) out.push([p, readFileSync(p, "utf8")]);
    }
  };
  walk(src);
  return out;
}

test("every key exists in every language, with the same placeholders", () => {
  for (const [lang, table] of Object.entries(langs)) {
    for (const key of Object.keys(langs.en)) {
      assert.ok(key in table, `${lang} lacks ${key}`);
      const want = (langs.en[key].match(/\{\w+\}/g) ?? []).sort();
      const got = (table[key].match(/\{\w+\}/g) ?? []).sort();
      assert.deepEqual(got, want, `${lang} ${key}: placeholders`);
      assert.ok(table[key].trim().length > 0, `${lang} ${key} is empty`);
    }
    for (const key of Object.keys(table)) {
      assert.ok(key in langs.en || translatedOnly(key), `${lang} has an unknown key ${key}`);
    }
  }
  assert.deepEqual(Object.keys(langs.ru).filter(translatedOnly).sort(), Object.keys(langs.es).filter(translatedOnly).sort());
});

test("every literal key the UI asks for exists", () => {
  for (const [file, text] of sources()) {
    for (const m of text.matchAll(/\bt\(\s*"([^"]+)"/g)) {
      assert.ok(m[1] in langs.en, `${file}: t("${m[1]}") has no message`);
    }
  }
});

test("every timeline event and catalog note is translated", () => {
  const events = data("timeline.toml").split("[[event]]").slice(1).map((b) => b.match(/^id = "([^"]+)"/m)[1]);
  assert.ok(events.length >= 12, "parsed the timeline");
  const notes = [];
  for (const block of data("catalog.toml").split("[[product]]").slice(1)) {
    const id = block.match(/^id = "([^"]+)"/m)[1];
    const count = block.split("[[product.note]]").length - 1;
    for (let i = 0; i < count; i++) notes.push(`catalog.${id}.note.${i}`);
  }
  assert.ok(notes.length >= 10, "parsed the catalog notes");
  const keys = [...events.flatMap((id) => ["title", "meaning", "explanation"].map((f) => `timeline.${id}.${f}`)), ...notes];
  for (const lang of ["ru", "es"]) {
    for (const key of keys) assert.ok(key in langs[lang], `${lang} lacks ${key}`);
    for (const key of Object.keys(langs[lang]).filter(translatedOnly)) {
      assert.ok(keys.includes(key), `${lang} translates ${key}, which the data files do not have`);
    }
  }
});

test("every error code Rust can send has a message", () => {
  const files = ["src-tauri/src/error.rs", "crates/baton-core/src/error.rs", "crates/baton-core/src/migrate/plan.rs", "crates/baton-core/src/migrate/engine.rs"];
  let codes = 0;
  for (const f of files) {
    const rust = readFileSync(join(src, "../..", f), "utf8");
    const body = rust.slice(rust.indexOf("pub fn code(&self)"));
    const fn = body.slice(0, body.indexOf("\n    }\n"));
    for (const m of fn.matchAll(/"([a-z_]+)"/g)) {
      codes++;
      assert.ok(`error.${m[1]}` in langs.en, `${f}: error code "${m[1]}" has no message`);
    }
  }
  assert.ok(codes >= 15, `parsed ${codes} error codes`);
});

test("every message key from Rust has a message", () => {
  const rust = readFileSync(join(src, "../../crates/baton-core/src/said.rs"), "utf8");
  const body = rust.slice(rust.indexOf("pub enum Said"), rust.indexOf("impl Said"));
  const variants = [...body.matchAll(/^\s{4}([A-Z]\w+)/gm)].map((m) => m[1]);
  assert.ok(variants.length > 100, "parsed the Said variants");
  for (const v of variants) {
    const key = v.replace(/[A-Z]/g, (c, i) => (i ? "_" : "") + c.toLowerCase());
    assert.ok(`said.${key}` in langs.en, `said.${key} (from ${v}) has no message`);
  }
});

/** Removes every {…} expression, however deeply its braces nest. */
function stripExpressions(text) {
  let out = "";
  let depth = 0;
  for (const c of text) {
    if (c === "{") depth++;
    if (depth === 0) out += c;
    if (c === "}" && depth > 0) {
      depth--;
      if (depth === 0) out += " ";
    }
  }
  return out;
}

test("components hard-code no user-visible text", () => {
  const allowed = new Set(["Baton", "✓", "✗", "…", "!", ":", "–", "(", ")", "/"]);
  for (const [file, text] of sources()) {
    if (!file.endsWith(".svelte")) continue;
    let markup = text.replace(/<script[\s\S]*?<\/script>/g, "").replace(/<style[\s\S]*?<\/style>/g, "");
    // Attribute values a person hears or reads.
    for (const m of markup.matchAll(/\b(aria-label|title|alt|placeholder)="([^"{]*)"/g)) {
      assert.ok(m[2] === "" || allowed.has(m[2]), `${file}: hard-coded ${m[1]}="${m[2]}"`);
    }
    // Text between tags, once expressions and tags are gone.
    markup = stripExpressions(markup).replace(/<[^>]*>/g, " ");
    for (const word of markup.split(/\s+/).filter(Boolean)) {
      assert.ok(allowed.has(word) || !/\p{L}/u.test(word), `${file}: hard-coded text "${word}"`);
    }
  }
});
