// What the vitest globalSetup hands to test files; imported wherever `inject` reads it.
declare module "vitest" {
  export interface ProvidedContext {
    pgAdminUrl: string;
    pgTemplate: string;
  }
}

export {};
