/** What a SQL statement's span and metrics may say about it: no values, bounded size. */
export interface SqlSummary {
  /** First keyword of the statement (after any WITH clause), lower case: select, insert, ... */
  operation: string;
  /** Main table as written (schema prefix kept, quotes removed), when there is one. */
  table?: string;
  /** `{operation} {table}`, or the operation alone. */
  spanName: string;
  /** The statement with comments removed, literals replaced by `?`, truncated. */
  text: string;
}

export const MAX_QUERY_TEXT = 2048;

/**
 * Removes comments and replaces string, dollar-quoted and numeric literals by
 * `?`, keeping `$1` placeholders and "quoted identifiers". Statements are
 * parameterised already; this guards against a value inlined by hand
 * (sql.unsafe) reaching a span.
 */
export function sanitizeSql(sqlText: string): string {
  let out = "";
  let i = 0;
  const n = sqlText.length;
  while (i < n) {
    const c = sqlText[i] as string;
    const next = sqlText[i + 1];
    if (c === "-" && next === "-") {
      while (i < n && sqlText[i] !== "\n") i++;
      continue;
    }
    if (c === "/" && next === "*") {
      const end = sqlText.indexOf("*/", i + 2);
      i = end === -1 ? n : end + 2;
      out += " ";
      continue;
    }
    if (c === "'") {
      // In E'..' strings a backslash escapes the next character, quotes included.
      const backslashEscapes = /(^|[^\w$])[eE]$/.test(out);
      i++;
      while (i < n) {
        if (backslashEscapes && sqlText[i] === "\\") i += 2;
        else if (sqlText[i] === "'" && sqlText[i + 1] === "'") i += 2;
        else if (sqlText[i] === "'") break;
        else i++;
      }
      i++;
      // E'..', B'..', X'..' prefixes belong to the literal.
      if (/[ebxnu]$/i.test(out) && !/[\w$]/.test(out[out.length - 2] ?? "")) out = out.slice(0, -1);
      out += "?";
      continue;
    }
    if (c === '"') {
      const end = sqlText.indexOf('"', i + 1);
      const stop = end === -1 ? n : end + 1;
      out += sqlText.slice(i, stop);
      i = stop;
      continue;
    }
    if (c === "$") {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sqlText.slice(i));
      if (tag) {
        const end = sqlText.indexOf(tag[0], i + tag[0].length);
        i = end === -1 ? n : end + tag[0].length;
        out += "?";
        continue;
      }
      const param = /^\$\d+/.exec(sqlText.slice(i));
      if (param) {
        out += param[0];
        i += param[0].length;
        continue;
      }
    }
    if (/[0-9]/.test(c) && !/[\w$.]/.test(out[out.length - 1] ?? "")) {
      const num = /^(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/.exec(sqlText.slice(i));
      if (num && !/[A-Za-z_]/.test(sqlText[i + num[0].length] ?? "")) {
        out += "?";
        i += num[0].length;
        continue;
      }
    }
    out += c;
    i++;
  }
  return out.replace(/\s+/g, " ").trim();
}

type Token = { kind: "word"; value: string } | { kind: "ident"; value: string } | { kind: "punct"; value: string };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const re = /\s*(?:("(?:[^"]|"")*")|([A-Za-z_][A-Za-z0-9_$]*)|(\S))/gy;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[1]) tokens.push({ kind: "ident", value: m[1].slice(1, -1).replace(/""/g, '"') });
    else if (m[2]) tokens.push({ kind: "word", value: m[2] });
    else if (m[3]) tokens.push({ kind: "punct", value: m[3] });
  }
  return tokens;
}

const MAIN_STATEMENTS = new Set(["select", "insert", "update", "delete", "merge"]);

/** Reads `schema.table` starting at `start`; undefined when a subquery or nothing follows. */
function qualifiedName(tokens: Token[], start: number): string | undefined {
  let i = start;
  if (tokens[i]?.kind === "word" && tokens[i]?.value.toLowerCase() === "only") i++;
  const parts: string[] = [];
  while (true) {
    const t = tokens[i];
    if (!t || t.kind === "punct") break;
    parts.push(t.value);
    if (tokens[i + 1]?.value !== ".") break;
    i += 2;
  }
  return parts.length > 0 ? parts.join(".") : undefined;
}

/** Operation and main table of a statement, for span names `{operation} {table}`. */
export function summarizeSql(sqlText: string): SqlSummary {
  const text = sanitizeSql(sqlText);
  const tokens = tokenize(text);
  let depth = 0;
  let operation: string | undefined;
  let table: string | undefined;
  const first = tokens[0]?.kind === "word" ? tokens[0].value.toLowerCase() : undefined;

  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    if (t.kind === "punct") {
      if (t.value === "(") depth++;
      else if (t.value === ")") depth--;
      continue;
    }
    if (depth !== 0 || t.kind !== "word") continue;
    const word = t.value.toLowerCase();
    if (!operation) {
      // A WITH clause's CTE bodies sit in parentheses; the statement is the first top-level keyword after them.
      if (first === "with" ? MAIN_STATEMENTS.has(word) : i === 0) operation = word;
      if (operation === "update") {
        table = qualifiedName(tokens, i + 1);
        break;
      }
      continue;
    }
    const follows = (kw: string) => word === kw;
    if (
      (operation === "select" && follows("from")) ||
      ((operation === "insert" || operation === "merge") && follows("into")) ||
      (operation === "delete" && follows("from"))
    ) {
      table = qualifiedName(tokens, i + 1);
      break;
    }
  }
  operation ??= first ?? "unknown";
  return {
    operation,
    table,
    spanName: table ? `${operation} ${table}` : operation,
    text: text.length > MAX_QUERY_TEXT ? text.slice(0, MAX_QUERY_TEXT) : text,
  };
}
