// The Rust commands, typed. Every call goes through here; errors arrive as
// {code, message} and are thrown as ApiError.
import { invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import type * as B from "./bindings/index";

export type * from "./bindings/index";

export class ApiError extends Error {
  code: string;
  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

async function call<T>(command: string, args?: Record<string, unknown>): Promise<T> {
  try {
    return await invoke<T>(command, args);
  } catch (e) {
    if (e && typeof e === "object" && "code" in e && "message" in e) {
      throw new ApiError(String((e as { code: unknown }).code), String((e as { message: unknown }).message));
    }
    throw new ApiError("unexpected", String(e));
  }
}

export const api = {
  scan: () => call<B.ScanView>("scan"),
  timeline: () => call<B.TimelineReport>("timeline"),
  recommend: (input: B.RecommendInput) => call<B.Recommendations>("recommend", { input }),
  plan: (to: string, removeUltraav: boolean) => call<B.Plan>("plan", { to, removeUltraav }),
  migrate: (to: string, removeUltraav: boolean) => call<B.Report>("migrate", { to, removeUltraav }),
  resumePoint: () => call<B.ResumePoint | null>("resume_point"),
  settings: () => call<B.SettingsView>("settings"),
  setLanguage: (language: string) => call<void>("set_language", { language }),
  setStartAtLogin: (on: boolean) => call<void>("set_start_at_login", { on }),
  simulatedRestart: () => call<void>("simulated_restart"),
  openSource: (event: string, index: number) => call<void>("open_source", { event, index }),
  onMigration: (handler: (e: B.MigrationEvent) => void): Promise<UnlistenFn> =>
    listen<B.MigrationEvent>("migration", (e) => handler(e.payload)),
};
