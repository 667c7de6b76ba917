export const packageName = "@taskmaster/telemetry";
