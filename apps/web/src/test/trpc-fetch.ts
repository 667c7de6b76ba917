/**
 * A fake of the API's HTTP surface for component tests: answers tRPC batch
 * requests (GET queries, POST mutations) from a handler per procedure path,
 * in the wire format of tRPC v11 without a transformer.
 */
export type Answer = { data: unknown } | { error: { code: string; message?: string; data?: Record<string, unknown> } };
export type Handler = (path: string, input: unknown) => Answer | Promise<Answer>;

const HTTP_STATUS: Record<string, number> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  TOO_MANY_REQUESTS: 429,
  INTERNAL_SERVER_ERROR: 500,
};

export interface RecordedCall {
  path: string;
  input: unknown;
  headers: Headers;
  credentials: RequestCredentials | undefined;
}

export function fakeTrpcFetch(handler: Handler) {
  const calls: RecordedCall[] = [];
  const fetchImpl = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = new URL(String(input), "http://localhost");
    const paths = url.pathname.replace(/^\/trpc\//, "").split(",");
    const batched = url.searchParams.get("batch") === "1";
    let inputs: Record<string, unknown> = {};
    if (init?.method === "POST" && init.body) inputs = JSON.parse(String(init.body));
    else if (url.searchParams.get("input")) inputs = JSON.parse(url.searchParams.get("input") ?? "{}");
    const results = await Promise.all(
      paths.map(async (path, i) => {
        const callInput = batched ? inputs[String(i)] : inputs;
        calls.push({ path, input: callInput, headers: new Headers(init?.headers), credentials: init?.credentials });
        const answer = await handler(path, callInput);
        if ("data" in answer) return { result: { data: answer.data } };
        const status = HTTP_STATUS[answer.error.code] ?? 500;
        return {
          error: {
            message: answer.error.message ?? answer.error.code,
            code: -32600,
            data: { code: answer.error.code, httpStatus: status, path, ...answer.error.data },
          },
        };
      }),
    );
    const status = results.every((r) => "result" in r) ? 200 : 207;
    return new Response(JSON.stringify(batched ? results : results[0]), {
      status:
        results.length === 1 && "error" in (results[0] ?? {})
          ? (results[0] as { error: { data: { httpStatus: number } } }).error.data.httpStatus
          : status,
      headers: { "Content-Type": "application/json" },
    });
  };
  return { fetch: fetchImpl, calls };
}
