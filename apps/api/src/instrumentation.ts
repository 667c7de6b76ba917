// Production entry for `node --import ./dist/instrumentation.js dist/server.js`:
// starts OpenTelemetry before Express and friends are imported, so they get patched.
import "@taskmaster/telemetry/register";
