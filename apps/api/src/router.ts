export { type AppRouter, appRouter } from "./routers";
