/**
 * Just enough of SQLite's SQL syntax to read the schema text stored in `sqlite_master` and compare it with
 * ours: a tokenizer (string literals, quoted identifiers, words, numbers, punctuation; comments dropped)
 * and splitters for CREATE TABLE / CREATE INDEX. Nothing here evaluates SQL: a statement it cannot read is
 * simply "not ours".
 */

export interface Token {
  /** 'string' for '…' literals, 'ident' for words and quoted identifiers, 'number', 'punct'. */
  kind: 'string' | 'ident' | 'number' | 'punct';
  /** Identifiers lower-cased and unquoted; string literals as written, quotes included. */
  text: string;
}

/** Tokens of `sql`, or null when it holds something this reader does not understand (then it is not ours). */
export function tokenize(sql: string): Token[] | null {
  const out: Token[] = [];
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === '-' && sql[i + 1] === '-') {
      const end = sql.indexOf('\n', i);
      i = end < 0 ? n : end + 1;
    } else if (c === '/' && sql[i + 1] === '*') {
      const end = sql.indexOf('*/', i + 2);
      if (end < 0) return null;
      i = end + 2;
    } else if (c === "'") {
      let j = i + 1;
      for (;;) {
        const q = sql.indexOf("'", j);
        if (q < 0) return null;
        if (sql[q + 1] === "'") j = q + 2;
        else {
          j = q + 1;
          break;
        }
      }
      out.push({ kind: 'string', text: sql.slice(i, j) });
      i = j;
    } else if (c === '"' || c === '`' || c === '[') {
      const close = c === '[' ? ']' : c;
      const end = sql.indexOf(close, i + 1);
      if (end < 0) return null;
      out.push({ kind: 'ident', text: sql.slice(i + 1, end).toLowerCase() });
      i = end + 1;
    } else if (/[A-Za-z_]/.test(c)) {
      let j = i + 1;
      while (j < n && /[A-Za-z0-9_$]/.test(sql[j]!)) j++;
      out.push({ kind: 'ident', text: sql.slice(i, j).toLowerCase() });
      i = j;
    } else if (/[0-9]/.test(c)) {
      let j = i + 1;
      while (j < n && /[0-9.]/.test(sql[j]!)) j++;
      out.push({ kind: 'number', text: sql.slice(i, j) });
      i = j;
    } else if ('(),;'.includes(c)) {
      out.push({ kind: 'punct', text: c });
      i++;
    } else if ('<>=!'.includes(c)) {
      let j = i + 1;
      while (j < n && '<>='.includes(sql[j]!)) j++;
      out.push({ kind: 'punct', text: sql.slice(i, j) });
      i = j;
    } else if ('+-*/.|%&~'.includes(c)) {
      out.push({ kind: 'punct', text: c });
      i++;
    } else {
      return null;
    }
  }
  return out;
}

export function joinTokens(tokens: readonly Token[]): string {
  return tokens.map((t) => t.text).join(' ');
}

/** Splits `tokens` at the commas that are not inside parentheses. */
function splitTopLevel(tokens: readonly Token[]): Token[][] {
  const parts: Token[][] = [[]];
  let depth = 0;
  for (const t of tokens) {
    if (t.text === '(') depth++;
    if (t.text === ')') depth--;
    if (depth === 0 && t.text === ',') parts.push([]);
    else parts[parts.length - 1]!.push(t);
  }
  return parts;
}

/** Index of the `)` closing the `(` at `open`, or -1. */
function closing(tokens: readonly Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (tokens[i]!.text === '(') depth++;
    if (tokens[i]!.text === ')' && --depth === 0) return i;
  }
  return -1;
}

export interface CreateTable {
  name: string;
  /** Each column definition or table constraint, as tokens. */
  parts: Token[][];
  /** Whatever follows the closing parenthesis (WITHOUT ROWID, STRICT): ours have nothing. */
  trailing: Token[];
}

/** `CREATE TABLE name ( … )` as stored in sqlite_master; null for anything else (virtual tables, AS SELECT). */
export function parseCreateTable(sql: string): CreateTable | null {
  const t = tokenize(sql);
  if (!t || t.length < 5 || t[0]!.text !== 'create' || t[1]!.text !== 'table' || t[1]!.kind !== 'ident') return null;
  let at = 2;
  if (t[at]?.text === 'if' && t[at + 1]?.text === 'not' && t[at + 2]?.text === 'exists') at += 3;
  const name = t[at];
  if (!name || name.kind !== 'ident' || t[at + 1]?.text !== '(') return null;
  const end = closing(t, at + 1);
  if (end < 0) return null;
  return { name: name.text, parts: splitTopLevel(t.slice(at + 2, end)), trailing: t.slice(end + 1).filter((x) => x.text !== ';') };
}

export interface CreateIndex {
  name: string;
  unique: boolean;
  table: string;
  /** Each indexed term, as tokens (a plain column is one identifier, maybe followed by ASC/DESC). */
  terms: Token[][];
  /** Anything after the column list (a WHERE clause makes it a partial index). */
  trailing: Token[];
}

export function parseCreateIndex(sql: string): CreateIndex | null {
  const t = tokenize(sql);
  if (!t || t[0]?.text !== 'create') return null;
  let at = 1;
  const unique = t[at]?.text === 'unique';
  if (unique) at++;
  if (t[at]?.text !== 'index') return null;
  at++;
  if (t[at]?.text === 'if' && t[at + 1]?.text === 'not' && t[at + 2]?.text === 'exists') at += 3;
  const name = t[at];
  if (!name || name.kind !== 'ident' || t[at + 1]?.text !== 'on' || t[at + 2]?.kind !== 'ident' || t[at + 3]?.text !== '(') return null;
  const end = closing(t, at + 3);
  if (end < 0) return null;
  return {
    name: name.text,
    unique,
    table: t[at + 2]!.text,
    terms: splitTopLevel(t.slice(at + 4, end)),
    trailing: t.slice(end + 1).filter((x) => x.text !== ';'),
  };
}
