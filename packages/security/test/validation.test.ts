import { request } from "node:http";
import { describe, expect, test } from "vitest";
import {
  findPrototypePollution,
  jsonBodyGuard,
  PrototypePollutionError,
  rejectPrototypePollution,
  sanitizeDescription,
  sanitizeFilename,
  serverTaskCreateInput,
  serverTaskUpdateInput,
} from "../src/validation";
import { serve } from "./http-helpers";

const PROJECT = "6f1c1b0e-8a4b-4c1e-9d5a-1f2e3d4c5b6a";

describe("sanitizeDescription", () => {
  test("removes scripts, event handlers and javascript: URLs, keeps the safe formatting", () => {
    const out = sanitizeDescription(
      '<p>Hi <b>there</b><script>alert(1)</script><img src=x onerror="alert(2)">' +
        '<a href="javascript:alert(3)">x</a><a href="https://example.com" onclick="e()" target="_blank">ok</a></p>' +
        '<iframe src="https://evil"></iframe><style>body{}</style><ul><li><code>c</code></li></ul>',
    );
    expect(out).not.toMatch(/script|onerror|onclick|javascript:|<img|iframe|style|target/i);
    expect(out).toContain("<p>Hi <b>there</b>");
    expect(out).toContain('<a href="https://example.com" rel="noopener noreferrer">ok</a>');
    expect(out).toContain("<ul><li><code>c</code></li></ul>");
  });

  test("only http, https and mailto links survive; protocol-relative and data: are dropped", () => {
    expect(sanitizeDescription('<a href="mailto:a@b.co">m</a>')).toBe(
      '<a href="mailto:a@b.co" rel="noopener noreferrer">m</a>',
    );
    expect(sanitizeDescription('<a href="//evil.com">x</a>')).toBe('<a rel="noopener noreferrer">x</a>');
    expect(sanitizeDescription('<a href="data:text/html,<script>1</script>">x</a>')).toBe(
      '<a rel="noopener noreferrer">x</a>',
    );
    expect(sanitizeDescription('<a href="JaVaScRiPt:alert(1)">x</a>')).not.toMatch(/javascript/i);
  });

  test("server task schemas sanitise the description and keep SQL-looking text verbatim", () => {
    const created = serverTaskCreateInput.parse({
      projectId: PROJECT,
      title: "x'; DROP TABLE tasks; --",
      description: "<b>ok</b><script>steal()</script> ' OR 1=1 --",
    });
    expect(created.description).toBe("<b>ok</b> ' OR 1=1 --");
    expect(created.title).toBe("x'; DROP TABLE tasks; --");
    const updated = serverTaskUpdateInput.parse({ id: PROJECT, description: '<img src=x onerror="a()">' });
    expect(updated.description).toBe("");
    expect(serverTaskUpdateInput.parse({ id: PROJECT, title: "t" })).toEqual({ id: PROJECT, title: "t" });
  });

  test("server task schemas still reject an XSS title with a field error", () => {
    const result = serverTaskCreateInput.safeParse({ projectId: PROJECT, title: "<svg onload=alert(1)>" });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["title", "Title must not contain HTML tags"],
    ]);
  });
});

describe("prototype pollution", () => {
  test("finds __proto__, constructor and prototype keys at any depth, including in arrays", () => {
    const parsed = JSON.parse('{"a":{"b":[{"__proto__":{"isAdmin":true}}]},"constructor":{"prototype":{"x":1}}}');
    expect(findPrototypePollution(parsed)).toEqual(["a.b.0.__proto__", "constructor", "constructor.prototype"]);
    expect(() => rejectPrototypePollution(parsed)).toThrow(PrototypePollutionError);
    expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
  });

  test("clean input passes, including values that merely mention the words", () => {
    expect(findPrototypePollution({ title: "__proto__", tags: ["constructor"] })).toEqual([]);
    expect(() => rejectPrototypePollution({ title: "prototype" })).not.toThrow();
  });
});

describe("jsonBodyGuard", () => {
  async function post(base: string, body: string, headers: Record<string, string> = {}) {
    const res = await fetch(`${base}/echo`, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body,
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  }

  const app = serve((app) => {
    app.use(jsonBodyGuard({ limit: 1024 }));
    app.post("/echo", (req, res) => {
      res.json({ got: req.body ?? null });
    });
  });

  test("parses a JSON body within the limit", async () => {
    expect(await post(await app, '{"title":"a"}')).toEqual({ status: 200, body: { got: { title: "a" } } });
  });

  test("answers 413 with a JSON error for a body over the limit", async () => {
    const res = await post(await app, JSON.stringify({ title: "x".repeat(2000) }));
    expect(res.status).toBe(413);
    expect(res.body.error).toBe("Request body larger than 1024 bytes");
  });

  test("answers 413 for an oversized chunked body without a Content-Length", async () => {
    const base = new URL(await app);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: base.hostname,
          port: base.port,
          path: "/echo",
          method: "POST",
          headers: { "content-type": "application/json" },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on("error", reject);
      req.write(`{"a":"${"y".repeat(800)}`);
      req.end(`${"z".repeat(800)}"}`);
    });
    expect(status).toBe(413);
  });

  test("answers 400 for malformed JSON and for __proto__ payloads", async () => {
    const base = await app;
    expect(await post(base, '{"title":')).toEqual({ status: 400, body: { error: "Request body is not valid JSON" } });
    const polluted = await post(base, '{"task":{"__proto__":{"isAdmin":true}}}');
    expect(polluted).toEqual({ status: 400, body: { error: "Forbidden keys in request body: task.__proto__" } });
    expect((await post(base, '"just a string"')).status).toBe(400);
  });

  test("refuses compressed bodies (a small gzip could expand past the cap)", async () => {
    const res = await post(await app, "{}", { "content-encoding": "gzip" });
    expect(res.status).toBe(415);
  });

  test("leaves non-JSON requests alone", async () => {
    const res = await fetch(`${await app}/echo`, {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: "hi",
    });
    expect(await res.json()).toEqual({ got: null });
  });
});

describe("sanitizeFilename", () => {
  test.each([
    ["../../etc/passwd", "passwd"],
    ["C:\\Users\\me\\report.pdf", "report.pdf"],
    ["inv\u0000oice\u0007.pdf", "invoice.pdf"],
    ["CON.txt", "_CON.txt"],
    ["lpt1", "_lpt1"],
    [".htaccess", "htaccess"],
    ["report.pdf. . ", "report.pdf"],
    ['a<b>c:"d|e?f*.txt', "abcdef.txt"],
    ["evil\u202Etxt.exe", "eviltxt.exe"],
    ["", "file"],
    ["../..", "file"],
    ["photo of me.JPG", "photo of me.JPG"],
  ])("%j becomes %j", (input, expected) => {
    expect(sanitizeFilename(input)).toBe(expected);
  });

  test("caps the length in UTF-8 bytes and keeps the extension", () => {
    const out = sanitizeFilename(`${"é".repeat(300)}.tar`);
    expect(Buffer.byteLength(out)).toBeLessThanOrEqual(255);
    expect(out.endsWith(".tar")).toBe(true);
    expect(sanitizeFilename(`${"a".repeat(40)}.pdf`, { maxBytes: 20 })).toBe(`${"a".repeat(16)}.pdf`);
  });
});
