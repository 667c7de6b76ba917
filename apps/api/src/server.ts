import { createApp } from "./app";
import { env } from "./env";

const app = createApp({ version: env.APP_VERSION });
const server = app.listen(env.PORT, env.HOST, () => {
  console.log(`TaskMaster API listening on http://${env.HOST === "0.0.0.0" ? "localhost" : env.HOST}:${env.PORT}`);
});
server.on("error", (err: NodeJS.ErrnoException) => {
  console.error(
    err.code === "EADDRINUSE" ? `Port ${env.PORT} is already in use: set PORT to a free port.` : err.message,
  );
  process.exit(1);
});
const shutdown = () => server.close(() => process.exit(0));
process.once("SIGTERM", shutdown);
process.once("SIGINT", shutdown);
