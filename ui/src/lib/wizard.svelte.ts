// The wizard's state and the moves between screens. Screens read it and call
// these functions; only here is the Rust side called for the migration.
import { api, ApiError } from "./api";
import type {
  MigrationEvent, Plan, Progress, Recommendation, Recommendations, Report,
  RecommendInput, Said, ScanView, StepState, TimelineReport, SettingsView,
} from "./api";

export type Screen =
  | "loading" | "found" | "why" | "choose" | "prepare"
  | "removing" | "restart" | "installing" | "done" | "fine";

/** The screens shown in the step list, in order. */
export const FLOW: Screen[] = ["found", "why", "choose", "prepare", "removing", "restart", "installing", "done"];

export const w = $state({
  screen: "loading" as Screen,
  settings: null as SettingsView | null,
  scan: null as ScanView | null,
  timeline: null as TimelineReport | null,
  answers: { budget: "free", devices: 1, wants: [], region: null, comfort: "intermediate" } as RecommendInput,
  recommendations: null as Recommendations | null,
  chosen: null as Recommendation | null,
  removeUltraav: false,
  plan: null as Plan | null,
  ticked: {} as Record<string, boolean>,
  running: false,
  started: false,
  stepStates: {} as Record<string, StepState>,
  stepNotes: {} as Record<string, Said[]>,
  /** Things the engine said outside any step (a journal kept aside). */
  runNotes: [] as Said[],
  progress: null as Progress | null,
  report: null as Report | null,
  error: null as ApiError | null,
  busy: false,
});

export function go(screen: Screen): void {
  w.error = null;
  w.screen = screen;
  queueMicrotask(() => document.querySelector<HTMLElement>("main h1")?.focus());
}

async function guard<T>(work: () => Promise<T>): Promise<T | undefined> {
  w.busy = true;
  w.error = null;
  try {
    return await work();
  } catch (e) {
    w.error = e instanceof ApiError ? e : new ApiError("unexpected", String(e));
    return undefined;
  } finally {
    w.busy = false;
  }
}

export async function rescan(): Promise<void> {
  const scan = await guard(() => api.scan());
  if (!scan) return;
  w.scan = scan;
  const fine = scan.verdict.status === "protected" && !scan.has_kaspersky && !scan.has_ultraav;
  go(fine ? "fine" : "found");
}

export async function loadTimeline(): Promise<void> {
  if (!w.timeline) w.timeline = (await guard(() => api.timeline())) ?? null;
}

export async function loadRecommendations(): Promise<void> {
  const r = await guard(() => api.recommend($state.snapshot(w.answers)));
  if (!r) return;
  w.recommendations = r;
  const all = [...r.recommendations, ...(r.built_in ? [r.built_in] : [])];
  if (!w.chosen || !all.some((x) => x.id === w.chosen?.id)) w.chosen = null;
}

export async function loadPlan(): Promise<boolean> {
  if (!w.chosen) return false;
  const id = w.chosen.id;
  const plan = await guard(() => api.plan(id, w.removeUltraav));
  if (!plan) return false;
  w.plan = plan;
  w.ticked = {};
  return true;
}

function screenFor(stepId: string): Screen {
  if (stepId === "install" || stepId === "verify" || stepId === "done") return "installing";
  if (stepId === "restart") return w.screen === "restart" ? "restart" : "removing";
  return "removing";
}

function onEvent(e: MigrationEvent): void {
  switch (e.event) {
    case "planned":
      w.plan = e.plan;
      break;
    case "step_started":
      w.stepStates[e.id] = "running";
      w.progress = null;
      if (w.screen !== screenFor(e.id)) go(screenFor(e.id));
      break;
    case "step_finished":
      w.stepStates[e.id] = e.state;
      w.stepNotes[e.id] = e.notes;
      break;
    case "progress":
      w.progress = e.progress;
      break;
    case "note":
      w.runNotes.push(e.note);
      break;
  }
}

/** Runs or resumes the migration; the engine's journal says where it stands. */
export async function runMigration(): Promise<void> {
  const to = w.chosen?.id ?? w.plan?.to;
  if (!to || w.running) return;
  w.running = true;
  w.started = true;
  w.report = null;
  const unlisten = await api.onMigration(onEvent);
  try {
    const report = await guard(() => api.migrate(to, w.removeUltraav));
    if (!report) return;
    w.report = report;
    switch (report.outcome) {
      case "completed":
        go("done");
        break;
      case "restart_required":
        go("restart");
        break;
      default:
        // Needs the user, refused or failed: stay, and say so on this screen.
        break;
    }
  } finally {
    unlisten();
    w.running = false;
  }
}

export async function simulatedRestart(): Promise<void> {
  const ok = await guard(async () => {
    await api.simulatedRestart();
    return true;
  });
  if (ok) await runMigration();
}

/** At start: resume an unfinished migration, or scan. */
export async function start(): Promise<void> {
  const resume = await guard(() => api.resumePoint());
  if (resume) {
    w.removeUltraav = resume.remove_ultraav;
    w.started = true;
    w.chosen = { id: resume.to, name: resume.to_name } as Recommendation;
    // The engine knows whether the restart it waited for has happened; the
    // plan arrives with its first event.
    go(resume.step === "install" || resume.step === "verify" ? "installing" : "removing");
    await runMigration();
    return;
  }
  // Both at once: the scan's reasons re-render in local words when the
  // timeline arrives.
  await Promise.all([loadTimeline(), rescan()]);
}

/** Opens a timeline source in the browser; Rust looks the link up by id. */
export async function openSource(event: string, index: number): Promise<void> {
  await guard(() => api.openSource(event, index));
}
