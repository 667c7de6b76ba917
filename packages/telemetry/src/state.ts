import type { TelemetryHandles } from "./sdk";

export interface TelemetryState {
  handles?: TelemetryHandles;
  userHashKey?: string;
}

// Kept on globalThis: the --import entry and a bundled copy of this package in
// the app must share one SDK, whichever copy calls shutdownTelemetry().
const STATE_KEY = Symbol.for("@taskmaster/telemetry.state");

export function telemetryState(): TelemetryState {
  const holder = globalThis as unknown as Record<symbol, TelemetryState | undefined>;
  holder[STATE_KEY] ??= {};
  return holder[STATE_KEY];
}
