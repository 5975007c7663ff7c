/**
 * `?` placeholders to PostgreSQL's `$1`, `$2`, ... in order, leaving alone
 * a `?` inside a string literal ('...'), a quoted identifier ("..."), a
 * dollar-quoted body or a comment. (The ledger's queries use no jsonb `?`
 * operator; one written in a query would be numbered too.)
 */
export function numberedPlaceholders(sql: string): string {
  let out = '';
  let n = 0;
  let i = 0;
  while (i < sql.length) {
    const c = sql[i] as string;
    const skip = quotedEnd(sql, i);
    if (skip > i) {
      out += sql.slice(i, skip);
      i = skip;
    } else if (c === '?') {
      n += 1;
      out += `$${n}`;
      i += 1;
    } else {
      out += c;
      i += 1;
    }
  }
  return out;
}

/** The index after a quoted part or comment starting at `i`, else `i`. */
function quotedEnd(sql: string, i: number): number {
  const c = sql[i];
  if (c === "'" || c === '"') {
    let j = i + 1;
    while (j < sql.length) {
      if (sql[j] === c) {
        if (sql[j + 1] === c)
          j += 2; // doubled quote: still inside
        else return j + 1;
      } else j += 1;
    }
    return sql.length;
  }
  if (c === '-' && sql[i + 1] === '-') {
    const end = sql.indexOf('\n', i);
    return end === -1 ? sql.length : end;
  }
  if (c === '/' && sql[i + 1] === '*') {
    const end = sql.indexOf('*/', i + 2);
    return end === -1 ? sql.length : end + 2;
  }
  if (c === '$') {
    const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(i))?.[0];
    if (tag === undefined) return i;
    const end = sql.indexOf(tag, i + tag.length);
    return end === -1 ? sql.length : end + tag.length;
  }
  return i;
}
