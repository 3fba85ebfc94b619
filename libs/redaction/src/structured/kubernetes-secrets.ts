import type { Candidate } from '../engine/candidate';

/** `kind: Secret` on a line of its own (YAML manifests and `kubectl get -o yaml`). */
const SECRET_KIND = /^kind:[ \t]*["']?Secret["']?[ \t]*\r?$/gm;
/** How far a manifest is read on each side of its kind (a Secret holds at most 1 MiB; logs rarely print more). */
const DOCUMENT_REACH = 64 * 1024;

/**
 * The values under `data:` and `stringData:` of a Kubernetes Secret manifest,
 * whatever their keys are called (`DB_URL`, `config.json`, `.dockerconfigjson`).
 * The block may come before `kind` (kubectl sorts keys) or after it; the
 * manifest ends at `---` or at the reach. Each document is read once: linear.
 */
export function findKubernetesSecretData(text: string, out: Candidate[], priority: number): void {
  if (text.indexOf('Secret') === -1) return;
  let readUntil = 0;
  SECRET_KIND.lastIndex = 0;
  for (let kind = SECRET_KIND.exec(text); kind !== null; kind = SECRET_KIND.exec(text)) {
    const start = Math.max(documentStart(text, kind.index), readUntil);
    const end = documentEnd(text, kind.index + kind[0].length);
    if (start >= end) continue;
    maskDataBlocks(text, start, end, out, priority);
    readUntil = end;
  }
}

function documentStart(text: string, at: number): number {
  const floor = Math.max(0, at - DOCUMENT_REACH);
  const separator = text.lastIndexOf('\n---', at);
  return separator >= floor ? separator + 4 : floor;
}

function documentEnd(text: string, at: number): number {
  const ceiling = Math.min(text.length, at + DOCUMENT_REACH);
  const separator = text.indexOf('\n---', at);
  return separator !== -1 && separator < ceiling ? separator : ceiling;
}

const BLOCK = /^(?:data|stringData):[ \t]*\r?$/gm;
const ENTRY = /^[ \t]+[A-Za-z0-9_.-]+:[ \t]*/;

function maskDataBlocks(text: string, start: number, end: number, out: Candidate[], priority: number): void {
  const document = text.slice(start, end);
  BLOCK.lastIndex = 0;
  for (let block = BLOCK.exec(document); block !== null; block = BLOCK.exec(document)) {
    let line = document.indexOf('\n', block.index) + 1;
    while (line > 0 && line < document.length) {
      const next = document.indexOf('\n', line);
      const lineEnd = next === -1 ? document.length : next;
      const entry = ENTRY.exec(document.slice(line, lineEnd));
      if (!entry) break;
      const valueStart = line + entry[0].length;
      const valueEnd = document[lineEnd - 1] === '\r' ? lineEnd - 1 : lineEnd;
      if (valueEnd > valueStart)
        out.push({
          name: 'KUBERNETES_SECRET',
          start: start + valueStart,
          end: start + valueEnd,
          confidence: 'high',
          priority,
        });
      line = lineEnd + 1;
    }
    BLOCK.lastIndex = Math.max(BLOCK.lastIndex, line);
  }
}
