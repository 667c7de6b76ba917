export { loadMigrations, migrate, migrationsDir } from "./migrate";
export { deriveLoginPassword, setLoginPassword } from "./roles";
export { API_LOGIN_ROLE, redactUrl, withCredentials, withDatabase } from "./urls";
