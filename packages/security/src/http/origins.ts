/**
 * Normalises an allow-list of origins (`https://app.example.com`), refusing
 * `*`, paths and anything that is not an http(s) origin: with credentialed
 * requests a wildcard or a sloppy entry is a vulnerability, not a default.
 */
export function normalizeOrigins(origins: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const raw of origins) {
    const entry = raw.trim();
    if (entry === "") continue;
    if (entry.includes("*")) throw new Error(`Allowed origin "${entry}": wildcards are not allowed`);
    let url: URL;
    try {
      url = new URL(entry);
    } catch {
      throw new Error(`Allowed origin "${entry}" is not a URL`);
    }
    if (url.protocol !== "http:" && url.protocol !== "https:") {
      throw new Error(`Allowed origin "${entry}" must be http or https`);
    }
    if (url.pathname !== "/" || url.search || url.hash || url.username || url.password) {
      throw new Error(`Allowed origin "${entry}" must be scheme://host[:port] only`);
    }
    out.add(url.origin);
  }
  return out;
}

/** The origin of a URL-ish header value, or null. */
export function originOf(value: string | undefined): string | null {
  if (!value || value === "null") return null;
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:" ? url.origin : null;
  } catch {
    return null;
  }
}
