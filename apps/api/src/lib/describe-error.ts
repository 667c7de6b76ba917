/**
 * What an error may say in a log line. drizzle's query errors repeat the
 * query parameters (emails, hashes, ciphertexts) in their message, so only
 * the driver's own message, the SQLSTATE and the stack's first frames go out.
 */
export function describeError(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { message: String(err) };
  const chain: Error[] = [];
  for (let e: unknown = err; e instanceof Error && chain.length < 5; e = e.cause) chain.push(e);
  const driver = chain.find((e) => typeof (e as { code?: unknown }).code === "string" && e.name !== "TRPCError");
  const safe = chain.find((e) => e.name !== "DrizzleQueryError" && e.name !== "TRPCError") ?? driver;
  return {
    name: (safe ?? err).name,
    message: safe ? safe.message : "query failed",
    code: (driver as { code?: string } | undefined)?.code,
    stack: (safe ?? err).stack?.split("\n").slice(0, 6).join("\n"),
  };
}
