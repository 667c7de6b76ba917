export * from "./audit-log";
export * from "./enums";
export * from "./focus-sessions";
export * from "./notes";
export * from "./projects";
export * from "./sessions";
export * from "./tasks";
export * from "./users";
