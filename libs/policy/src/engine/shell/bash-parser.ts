import { readFileSync } from 'node:fs';
import { Language, Parser, type Node, type Tree } from 'web-tree-sitter';

/**
 * Why tree-sitter-bash through web-tree-sitter (measured here, Node 20):
 * - a real bash grammar (heredocs, process substitution, `$'..'`, functions, case, arithmetic),
 *   maintained by the tree-sitter org and used by Codex CLI and longline for the same job;
 * - ~5-10 µs per parse of a typical command after one async WASM load, synchronous afterwards;
 * - pure WASM shipped inside the npm packages: no native build, no download at install time.
 * Rejected: sh-syntax (mvdan/sh in Go-WASM) ~6 ms per parse and async per call; mvdan-sh
 * (GopherJS) ~67 µs and deprecated upstream; bash-parser ~380 µs and unmaintained since 2017.
 * tree-sitter recovers from errors instead of failing; `hasError` marks such trees and the
 * analyser fails closed on them.
 */
export type { Node as SyntaxNode, Tree as SyntaxTree };

let loading: Promise<Parser> | undefined;
let loaded: Parser | undefined;

export function loadBashParser(): Promise<Parser> {
  loading ??= (async () => {
    await Parser.init();
    // Bytes, not a path: loading by path uses a dynamic import() that jest's VM does not allow.
    const language = await Language.load(readFileSync(require.resolve('tree-sitter-bash/tree-sitter-bash.wasm')));
    const parser = new Parser();
    parser.setLanguage(language);
    loaded = parser;
    return parser;
  })();
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}

/** The parser once loadBashParser() has resolved, else undefined. */
export function bashParserIfLoaded(): Parser | undefined {
  return loaded;
}
