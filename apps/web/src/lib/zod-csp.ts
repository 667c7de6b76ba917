import { config } from "zod/v4/core";

// zod compiles object parsers with `new Function` unless told not to, and even
// its probe for eval support (caught when it throws) is reported as a
// securitypolicyviolation under our script-src without 'unsafe-eval'. Object
// schemas read this setting when they are constructed, so this module must be
// evaluated before any schema module: main.tsx imports it first.
config({ jitless: true });
