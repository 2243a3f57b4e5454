// The shapes of the Rust types the UI receives, as serialised by serde.
// Kept next to their Rust definitions' names; `ui/tests/bindings.test.mjs`
// checks them against real JSON from the `baton` command.

export type OsFamily = "windows" | "macos" | "linux";
export type Status = "protected" | "at_risk" | "unprotected" | "unknown";
export type Confidence = "confirmed" | "secondary" | "unconfirmed";
export type FindingKind = "antivirus" | "vpn" | "password_manager" | "parental_control" | "management_agent" | "leftover" | "other";
export type EvidenceSource = "program" | "service" | "driver" | "process" | "security_center" | "path";

export interface Evidence { source: EvidenceSource; detail: string }

export interface Finding {
  vendor: string;
  rule?: string;
  product: string;
  kind: FindingKind;
  version?: string;
  managed: boolean;
  business: boolean;
  running: boolean;
  protection: "on" | "off" | "unknown";
  signatures_up_to_date: boolean | null;
  evidence: Evidence[];
}

/** A message key with its arguments, e.g. {key: "managed", product: "KES"}. */
export type Said = { key: string } & Record<string, string | number>;

export interface Verdict {
  status: Status;
  reasons: string[];
  next_step: string;
  reason_keys: Said[];
  next_step_key: Said;
}

export interface ScanView {
  os: OsFamily;
  simulated: boolean;
  verdict: Verdict;
  findings: Finding[];
  warnings: string[];
  has_kaspersky: boolean;
  has_ultraav: boolean;
}

export interface Span { years: number; months: number; days: number; past: boolean }

export interface TimelineEvent {
  id: string;
  date: string;
  end_date?: string;
  at?: string;
  approximate: boolean;
  title: string;
  explanation: string;
  meaning: string;
  sources: string[];
  confidence: Confidence;
  past: boolean;
}

export interface TimelineReport {
  today: string;
  updates_ended: string;
  updates_have_ended: boolean;
  days_since_updates_ended: number;
  since_updates_ended: Span;
  since_updates_ended_words: string;
  reviewed_on: string;
  events: TimelineEvent[];
}

export type Budget = "free" | "paid";
export type Comfort = "beginner" | "intermediate" | "expert";
export type Region = "europe" | "north_america" | "asia_pacific";
export type Feature = "real_time" | "firewall" | "vpn" | "password_manager" | "parental_control" | "identity_protection";

export interface RecommendInput {
  budget: Budget;
  devices: number;
  wants: Feature[];
  region: Region | null;
  comfort: Comfort;
}

export interface Features {
  real_time: boolean; firewall: boolean; vpn: boolean;
  password_manager: boolean; parental_control: boolean; identity_protection: boolean;
}

export interface LabResult {
  lab: string; test: string; date: string; result: string;
  protection_top: boolean; performance_top: boolean;
  source?: string; confidence: Confidence;
}

export interface PriceDetail {
  usd_per_year: number; devices: number; first_year: boolean;
  checked_on: string; source?: string; unverified: boolean;
}

export interface Recommendation {
  id: string; name: string; vendor: string;
  keep: boolean; built_in: boolean;
  price: number | null;
  price_detail?: PriceDetail;
  reasons: string[]; tradeoffs: string[];
  lab: LabResult[];
  features?: Features;
  unverified: string[];
}

export interface Excluded { id: string; name: string; rule: string; why: string }

export interface Recommendations {
  recommendations: Recommendation[];
  built_in: Recommendation | null;
  excluded: Excluded[];
  notes: string[];
  catalog_reviewed_on: string;
  catalog_is_stale: boolean;
}

export interface ChecklistItem { id: string; text: string }

export type StepKind =
  | { kind: "prepare"; checklist: ChecklistItem[] }
  | { kind: "remove"; target: { key: string; product: string; vendor: string } }
  | { kind: "restart" } | { kind: "interim_check" } | { kind: "install" }
  | { kind: "ensure_defender" } | { kind: "verify" } | { kind: "done" };

export interface Step { id: string; title: string; kind: StepKind }

export interface Plan { os: OsFamily; to: string; to_name: string; steps: Step[] }

export type StepState = "pending" | "running" | "done" | "waiting" | "failed";

export interface Progress { bytes: number; total: number | null; bytes_per_second: number }

export type MigrationEvent =
  | { event: "planned"; plan: Plan; resumed: boolean }
  | { event: "step_started"; id: string; title: string }
  | { event: "step_finished"; id: string; state: StepState; notes: string[] }
  | { event: "progress"; step: string; progress: Progress }
  | { event: "note"; text: string };

export type Outcome =
  | { outcome: "completed" }
  | { outcome: "restart_required" }
  | { outcome: "needs_user"; reason: string }
  | { outcome: "refused"; reason: string }
  | { outcome: "failed"; reason: string };

export type Report = Outcome & {
  exit_code: number;
  plan?: Plan;
  steps: { id: string; title: string; state: StepState; notes: string[] }[];
  final_status: Status;
  final_reasons: string[];
  notes: string[];
};

export interface ResumePoint {
  to: string; to_name: string; remove_ultraav: boolean;
  waiting_for_restart: boolean; step: string | null;
}

export interface SettingsView {
  language: string; follows_system: boolean; start_at_login: boolean; simulated: boolean;
}
