export {
  createDatabase,
  type Database,
  type DatabaseOptions,
  type DbObserver,
  isRlsViolation,
  isSessionRevoked,
  isUniqueViolation,
  type PingResult,
  ping,
  type ServiceContext,
  type Tx,
  type UserContextOptions,
  withServiceContext,
  withUserContext,
} from "./context";
export { assertLoginRoleSafe, type CheckRlsOptions, checkRls } from "./lint-rls";
export { loadMigrations, migrate, migrationsDir } from "./migrate";
export { deriveLoginPassword, setLoginPassword } from "./roles";
export * as schema from "./schema";
export {
  DEMO_EMAIL,
  resolveDemoPassword,
  type SeedDemoResult,
  type SeedLargeOptions,
  seedDemo,
  seedLarge,
} from "./seed";
export { API_LOGIN_ROLE, redactUrl, withCredentials, withDatabase } from "./urls";
