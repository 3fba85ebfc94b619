/**
 * SQL as the server will execute it, for keyword tests: comments removed,
 * the contents of string literals removed, case folded, whitespace collapsed.
 * One left-to-right pass, as the server's lexer reads it, so a comment marker
 * inside a literal (`SELECT '--'; DROP TABLE t`) hides nothing and a keyword
 * inside a literal (`SELECT 'DROP TABLE'`) is not a statement.
 *
 * Where dialects differ the reading that shows more is chosen:
 * - `/*! … *\/` and `/*!50000 … *\/` are MySQL's executable comments: their
 *   content is kept;
 * - block comments are not nested (PostgreSQL nests them: text after an inner
 *   `*\/` is then shown although it is commented out, never the reverse);
 * - `--` starts a comment only before a blank or the end (MySQL's rule:
 *   `1--1; DROP TABLE t` runs the DROP there), `#` never does;
 * - dollar-quoted bodies (`DO $$ … $$`) are code and stay; `E'…'` and
 *   doubled quotes (`'it''s'`) are literals.
 * A comment separates tokens (`comment = ' '`); callers also judge the text
 * with comments glued away (`''`), so `DR/**\/OP` is read as DROP as well.
 */
export function executableSql(sql: string, comment: '' | ' ' = ' '): string {
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i];
    if (ch === "'") {
      i = endOfLiteral(sql, i + 1);
      out += "''";
    } else if (ch === '-' && sql[i + 1] === '-' && (i + 2 >= sql.length || /\s/.test(sql[i + 2]))) {
      const end = sql.indexOf('\n', i);
      i = end === -1 ? sql.length : end;
      out += comment;
    } else if (ch === '/' && sql[i + 1] === '*') {
      const close = sql.indexOf('*/', i + 2);
      const end = close === -1 ? sql.length : close;
      // MySQL runs what an executable comment holds (after its optional version number).
      if (sql[i + 2] === '!') out += ` ${sql.slice(i + 3, end).replace(/^\d{5,6}/, '')} `;
      else out += comment;
      i = close === -1 ? sql.length : close + 2;
    } else {
      out += ch;
      i++;
    }
  }
  return out.replace(/\s+/g, ' ').toUpperCase();
}

/** Index just past the quote that closes a literal opened before `from` (`''` and `\'` stay inside). */
function endOfLiteral(sql: string, from: number): number {
  let i = from;
  while (i < sql.length) {
    if (sql[i] === '\\') i += 2;
    else if (sql[i] === "'" && sql[i + 1] === "'") i += 2;
    else if (sql[i] === "'") return i + 1;
    else i++;
  }
  return sql.length;
}
