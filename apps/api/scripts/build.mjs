// Bundles the API and the internal @taskmaster/* packages (consumed as
// TypeScript source) into plain JavaScript for `node dist/server.js`.
// Every npm dependency stays external: native modules (argon2) and
// OpenTelemetry's import hooks need the real packages at run time.
import { build } from "esbuild";

const internalOnly = {
  name: "internal-only",
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) =>
      args.path.startsWith("@taskmaster/") ? undefined : { path: args.path, external: true },
    );
  },
};

await build({
  // migrate.js lets a production image apply migrations without TypeScript tooling;
  // it reads ../migrations relative to itself (the Dockerfile puts them there).
  entryPoints: {
    server: "src/server.ts",
    instrumentation: "src/instrumentation.ts",
    migrate: "../../packages/db/scripts/migrate.ts",
  },
  outdir: "dist",
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: true,
  plugins: [internalOnly],
  logLevel: "warning",
});
