/**
 * Server-side validation: what the shared schemas cannot do in the browser
 * (HTML sanitising), plus request-level guards (body size, prototype
 * pollution) and a filename sanitiser.
 */
import type { IncomingMessage } from "node:http";
import type { RequestHandler } from "express";
import sanitizeHtml from "sanitize-html";
import { taskCreateInput, taskUpdateInput } from "./schemas";

export * from "./schemas";

// ------------------------------------------------------------ HTML sanitising

const DESCRIPTION_HTML: sanitizeHtml.IOptions = {
  allowedTags: ["b", "i", "em", "strong", "code", "pre", "ul", "ol", "li", "p", "br", "a"],
  allowedAttributes: { a: ["href", "rel"] },
  allowedSchemes: ["http", "https", "mailto"],
  allowedSchemesAppliedToAttributes: ["href"],
  allowProtocolRelative: false,
  // Drop disallowed tags but keep their text; script/style content is dropped whole.
  disallowedTagsMode: "discard",
  // Every link gets rel=noopener noreferrer whatever the author wrote, so a
  // linked page can neither script window.opener nor see our URL.
  transformTags: { a: sanitizeHtml.simpleTransform("a", { rel: "noopener noreferrer" }) },
};

/**
 * Task description HTML reduced to a small safe set (b, i, em, strong, code,
 * pre, ul, ol, li, p, br, and a with an http/https/mailto href). Scripts,
 * event handlers, styles, `javascript:` URLs and every other tag are removed.
 */
export function sanitizeDescription(html: string): string {
  return sanitizeHtml(html, DESCRIPTION_HTML);
}

/** `taskCreateInput` with the description sanitised: use this one on the server. */
export const serverTaskCreateInput = taskCreateInput.transform((input) =>
  input.description === undefined ? input : { ...input, description: sanitizeDescription(input.description) },
);

/** `taskUpdateInput` with the description sanitised: use this one on the server. */
export const serverTaskUpdateInput = taskUpdateInput.transform((input) =>
  input.description === undefined ? input : { ...input, description: sanitizeDescription(input.description) },
);

// ------------------------------------------------------- prototype pollution

const POLLUTION_KEYS = new Set(["__proto__", "constructor", "prototype"]);

export class PrototypePollutionError extends Error {
  override readonly name = "PrototypePollutionError";
  constructor(readonly paths: string[]) {
    super(`Forbidden keys in input: ${paths.join(", ")}`);
  }
}

/**
 * Paths of every `__proto__`, `constructor` or `prototype` key at any depth
 * (JSON.parse creates `__proto__` as an own key, which a later merge or
 * assignment would turn into a prototype write). Empty when clean.
 */
export function findPrototypePollution(value: unknown, maxDepth = 64): string[] {
  const found: string[] = [];
  const walk = (v: unknown, path: string, depth: number, seen: Set<object>) => {
    if (v === null || typeof v !== "object" || seen.has(v)) return;
    if (depth > maxDepth) {
      found.push(`${path || "(root)"} (nested deeper than ${maxDepth})`);
      return;
    }
    seen.add(v);
    for (const key of Object.keys(v)) {
      const child = path ? `${path}.${key}` : key;
      if (POLLUTION_KEYS.has(key)) found.push(child);
      walk((v as Record<string, unknown>)[key], child, depth + 1, seen);
    }
    seen.delete(v);
  };
  walk(value, "", 0, new Set());
  return found;
}

/** Throws `PrototypePollutionError` (listing the paths) when `value` carries a forbidden key. */
export function rejectPrototypePollution(value: unknown): void {
  const paths = findPrototypePollution(value);
  if (paths.length > 0) throw new PrototypePollutionError(paths);
}

// ---------------------------------------------------------------- JSON body

export interface JsonBodyGuardOptions {
  /** Largest accepted body in bytes. Default 100 KiB. */
  limit?: number;
  /** Only parse objects and arrays at the top level (like body-parser's `strict`). Default true. */
  strict?: boolean;
}

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;

class BodyError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let failed = false;
    req.on("data", (chunk: Buffer) => {
      if (failed) return;
      size += chunk.length;
      if (size > limit) {
        failed = true;
        // Stop buffering but keep draining so the 413 can be written back.
        chunks.length = 0;
        reject(new BodyError(413, `Request body larger than ${limit} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on("end", () => {
      if (!failed) resolve(Buffer.concat(chunks));
    });
    req.on("error", (err) => {
      if (!failed) reject(new BodyError(400, `Request body could not be read: ${err.message}`));
    });
  });
}

/**
 * Express middleware that parses JSON request bodies with a size cap and
 * rejects prototype-pollution keys. Replaces `express.json()`: on success
 * `req.body` holds the parsed value; otherwise the request ends here with
 * 413 (too large), 415 (compressed body), or 400 (malformed JSON, forbidden
 * keys), each as JSON `{ error }`. Requests without a JSON content type pass
 * through untouched.
 */
export function jsonBodyGuard(options: JsonBodyGuardOptions = {}): RequestHandler {
  const limit = options.limit ?? 100 * 1024;
  const strict = options.strict ?? true;
  if (!Number.isInteger(limit) || limit <= 0) throw new Error(`jsonBodyGuard: limit must be a positive integer`);

  return async (req, res, next) => {
    const type = req.headers["content-type"];
    if (req.body !== undefined || typeof type !== "string" || !JSON_TYPE.test(type)) return next();
    try {
      const encoding = (req.headers["content-encoding"] ?? "identity").toLowerCase();
      // Decompressing would let a small body expand past the cap (zip bomb).
      if (encoding !== "identity") throw new BodyError(415, `Content-Encoding ${encoding} is not accepted`);
      const declared = Number(req.headers["content-length"]);
      if (Number.isFinite(declared) && declared > limit) {
        throw new BodyError(413, `Request body larger than ${limit} bytes`);
      }
      const raw = (await readBody(req, limit)).toString("utf8");
      let body: unknown;
      if (raw.trim() === "") {
        body = undefined;
      } else {
        try {
          body = JSON.parse(raw);
        } catch {
          throw new BodyError(400, "Request body is not valid JSON");
        }
        if (strict && (body === null || typeof body !== "object")) {
          throw new BodyError(400, "Request body must be a JSON object or array");
        }
        const paths = findPrototypePollution(body);
        if (paths.length > 0) throw new BodyError(400, `Forbidden keys in request body: ${paths.join(", ")}`);
      }
      req.body = body;
      next();
    } catch (err) {
      if (!(err instanceof BodyError)) return next(err);
      if (err.status === 413) res.setHeader("Connection", "close");
      res.status(err.status).json({ error: err.message });
    }
  };
}

// ------------------------------------------------------------------ filenames

// Windows device names are reserved with or without an extension (CON.txt).
const RESERVED_NAME = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])$/i;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what gets removed
const UNSAFE_CHARS = /[\u0000-\u001f\u007f-\u009f<>:"/\\|?*\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

function truncateUtf8(s: string, maxBytes: number): string {
  let out = "";
  let bytes = 0;
  for (const ch of s) {
    const n = Buffer.byteLength(ch);
    if (bytes + n > maxBytes) break;
    out += ch;
    bytes += n;
  }
  return out;
}

/**
 * A filename safe to store and to send back in Content-Disposition: path
 * components dropped (`../../etc/passwd` → `passwd`), control, bidi-override
 * and reserved characters removed, leading dots and trailing dots/spaces
 * trimmed, Windows device names prefixed, length capped at `maxBytes` UTF-8
 * bytes while keeping the extension. Never returns an empty string.
 */
export function sanitizeFilename(name: string, { maxBytes = 255, fallback = "file" } = {}): string {
  const base = name.normalize("NFC").split(/[/\\]/).pop() ?? "";
  let clean = base.replace(UNSAFE_CHARS, "").replace(/\s+/g, " ").trim();
  clean = clean.replace(/^[.\s]+/, "").replace(/[.\s]+$/, "");
  if (clean === "") return fallback;

  const dot = clean.lastIndexOf(".");
  let stem = dot > 0 ? clean.slice(0, dot) : clean;
  let ext = dot > 0 ? clean.slice(dot) : "";
  if (RESERVED_NAME.test(stem.split(".")[0] ?? "")) stem = `_${stem}`;
  // An absurd "extension" is part of the name, not something to preserve.
  if (Buffer.byteLength(ext) > 16) {
    stem += ext;
    ext = "";
  }
  const room = maxBytes - Buffer.byteLength(ext);
  stem = truncateUtf8(stem, room).replace(/[.\s]+$/, "");
  return stem === "" ? `${fallback}${ext}` : `${stem}${ext}`;
}
