// Messages in English, Russian and Spanish, and locale-aware formatting.
// Every string the UI shows comes from ../i18n/<lang>.json; a test checks
// that every key exists in every language and that components hard-code none.
import en from "../i18n/en.json";
import ru from "../i18n/ru.json";
import es from "../i18n/es.json";
import type { Said, Span, TimelineReport } from "./bindings/index";

export const LANGUAGES = ["en", "ru", "es"] as const;
export type Lang = (typeof LANGUAGES)[number];

const tables: Record<Lang, Record<string, string>> = { en, ru, es };

const state = $state({ lang: "en" as Lang });

export function lang(): Lang {
  return state.lang;
}

export function setLang(l: string): void {
  state.lang = (LANGUAGES as readonly string[]).includes(l) ? (l as Lang) : "en";
  document.documentElement.lang = state.lang;
}

/** The system's language, if Baton speaks it. */
export function systemLang(): Lang {
  const l = (navigator.language || "en").slice(0, 2).toLowerCase();
  return (LANGUAGES as readonly string[]).includes(l) ? (l as Lang) : "en";
}

/** The message for `key`, with `{name}` placeholders filled in. */
export function t(key: string, params: Record<string, string | number> = {}): string {
  const text = tables[state.lang][key] ?? tables.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name: string) =>
    name in params ? formatValue(params[name]) : `{${name}}`,
  );
}

/** Whether the current language has its own text for `key`. */
export function has(key: string): boolean {
  return key in tables[state.lang];
}

function formatValue(v: string | number): string {
  return typeof v === "number" ? formatNumber(v) : v;
}

export function formatNumber(n: number, options?: Intl.NumberFormatOptions): string {
  return new Intl.NumberFormat(state.lang, options).format(n);
}

export function formatMoney(usd: number): string {
  return formatNumber(usd, { style: "currency", currency: "USD" });
}

/** A `YYYY-MM-DD` date in the locale's words: "29 September 2024", "29 сентября 2024 г.". */
export function formatDate(iso: string, style: "long" | "medium" = "long"): string {
  const [y, m, d] = iso.slice(0, 10).split("-").map(Number);
  return new Intl.DateTimeFormat(state.lang, { dateStyle: style, timeZone: "UTC" }).format(
    new Date(Date.UTC(y, m - 1, d)),
  );
}

const units: Record<Lang, Record<"year" | "month" | "day", Record<string, string>>> = {
  en: { year: { one: "year", other: "years" }, month: { one: "month", other: "months" }, day: { one: "day", other: "days" } },
  ru: {
    year: { one: "год", few: "года", many: "лет", other: "года" },
    month: { one: "месяц", few: "месяца", many: "месяцев", other: "месяца" },
    day: { one: "день", few: "дня", many: "дней", other: "дня" },
  },
  es: { year: { one: "año", other: "años" }, month: { one: "mes", other: "meses" }, day: { one: "día", other: "días" } },
};

/** "2 years, 1 month" in the current language (the two largest units). */
export function formatSpan(span: Span): string {
  const rules = new Intl.PluralRules(state.lang);
  const parts = (["year", "month", "day"] as const)
    .map((u) => [u, u === "year" ? span.years : u === "month" ? span.months : span.days] as const)
    .filter(([, n]) => n > 0);
  const shown = parts.slice(0, 2).filter(([, n]) => n > 0);
  if (shown.length === 0) return t("span.today");
  const words = shown.map(([u, n]) => {
    const forms = units[state.lang][u];
    return `${formatNumber(n)} ${forms[rules.select(n)] ?? forms.other}`;
  });
  return t(span.past ? "span.ago" : "span.in", { amount: words.join(", ") });
}

// Country names as the catalog writes them, to ISO codes the browser can
// name in the user's language.
const COUNTRIES: Record<string, string> = {
  "United States": "US", Romania: "RO", Slovakia: "SK", "Czech Republic": "CZ", Czechia: "CZ",
  Germany: "DE", Finland: "FI", "United Kingdom": "GB", Japan: "JP", "New Zealand": "NZ",
  Austria: "AT", Netherlands: "NL", Ireland: "IE",
};

function country(name: string): string {
  const code = COUNTRIES[name];
  if (!code) return name;
  try {
    return new Intl.DisplayNames([state.lang], { type: "region" }).of(code) ?? name;
  } catch {
    return name;
  }
}

function list(items: string[], type: "conjunction" | "disjunction" = "conjunction"): string {
  return new Intl.ListFormat(state.lang, { style: "long", type }).format(items);
}

const OR_LISTS = new Set(["excluded_missing", "does_not_include"]);

/** A message from Rust, by its key, in the user's language. Arguments are
 *  written in local words too: dates, money, feature and country names, and
 *  nested messages. Dates and durations Rust put into words are rebuilt from
 *  the timeline. */
export function said(s: Said, timeline?: TimelineReport | null): string {
  const { key, ...args } = s as { key: string } & Record<string, unknown>;
  if (key === "catalog_note") {
    const note = s as Extract<Said, { key: "catalog_note" }>;
    const k = `catalog.${note.product}.note.${note.index}`;
    return has(k) ? t(k) : note.text;
  }
  const params: Record<string, string | number> = {};
  for (const [name, v] of Object.entries(args)) {
    if (name === "features" && Array.isArray(v)) {
      params[name] = list(v.map((f) => t(`feature.text.${f}`)), OR_LISTS.has(key) ? "disjunction" : "conjunction");
    } else if (name === "facts" && Array.isArray(v)) {
      params[name] = list(v.map((f) => t(`fact.${f}`)));
    } else if (name === "countries" && Array.isArray(v)) {
      params[name] = list(v.map((c) => country(String(c))));
    } else if (Array.isArray(v)) {
      params[name] = list(v.map(String));
    } else if (name === "os" && typeof v === "string") {
      params[name] = t(`os.${v}`);
    } else if (name === "region" && typeof v === "string") {
      params[name] = t(`region.${v}`);
    } else if (name === "cents" && typeof v === "number") {
      params.price = formatMoney(v / 100);
    } else if ((name === "checked_on" || name === "reviewed_on") && typeof v === "string" && /^\d{4}-\d{2}-\d{2}/.test(v)) {
      params[name] = formatDate(v);
    } else if (name === "bytes" && typeof v === "number") {
      params.size = t("size.mb", { mb: formatNumber(v / 1048576, { maximumFractionDigits: 1 }) });
    } else if (v && typeof v === "object" && "key" in v) {
      params[name] = said(v as Said, timeline);
    } else if (typeof v === "string" || typeof v === "number") {
      params[name] = v;
    }
  }
  if (timeline && (key === "kaspersky_updates_stopped" || key === "kaspersky_updates_will_stop")) {
    params.since = params.on = formatDate(timeline.updates_ended);
    params.ago = params.within = formatSpan(timeline.since_updates_ended);
  }
  return t(`said.${key}`, params);
}
