import type { Confidence, RedactionFinding } from '../redaction.types';
import type { Candidate } from './candidate';

const RANK: Record<Confidence, number> = { low: 0, medium: 1, high: 2 };

/**
 * Overlapping claims become one finding covering their union, so no character
 * of any claimed span survives. The name comes from the widest claim (ties:
 * the earlier pattern in the catalogue); confidence is the highest.
 */
export function mergeCandidates(candidates: Candidate[]): RedactionFinding[] {
  candidates.sort((a, b) => a.start - b.start || b.end - a.end || a.priority - b.priority);
  const findings: RedactionFinding[] = [];
  let widest = 0;
  for (const candidate of candidates) {
    const last = findings[findings.length - 1];
    if (last && candidate.start < last.end) {
      if (candidate.end - candidate.start > widest) {
        last.pattern = candidate.name;
        widest = candidate.end - candidate.start;
      }
      last.end = Math.max(last.end, candidate.end);
      if (RANK[candidate.confidence] > RANK[last.confidence]) last.confidence = candidate.confidence;
      continue;
    }
    findings.push({
      pattern: candidate.name,
      start: candidate.start,
      end: candidate.end,
      confidence: candidate.confidence,
    });
    widest = candidate.end - candidate.start;
  }
  return findings;
}

/** Our placeholder, as `applyFindings` writes it. */
export const MARKER = /\[REDACTED:[A-Za-z0-9_.-]{1,128}\]/g;
export const MARKER_OPENING = '[REDACTED:';

/**
 * Keeps existing `[REDACTED:…]` markers intact, so redacting redacted text
 * changes nothing: a claim that starts inside a marker is dropped, and one
 * that runs over markers (`password=hunter2)[REDACTED:X]`, where a value class
 * swallows what follows) keeps only the pieces between them, so the secret
 * around the markers is still masked.
 */
export function clipToMarkers(text: string, candidates: Candidate[]): Candidate[] {
  if (!text.includes(MARKER_OPENING)) return candidates;
  const markers: Array<[number, number]> = [];
  MARKER.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = MARKER.exec(text)) !== null) markers.push([match.index, match.index + match[0].length]);
  if (markers.length === 0) return candidates;
  const kept: Candidate[] = [];
  for (const candidate of candidates) {
    let m = firstMarkerEndingAfter(markers, candidate.start);
    if (m < markers.length && markers[m][0] <= candidate.start) continue;
    let start = candidate.start;
    for (; m < markers.length && markers[m][0] < candidate.end; m++) {
      if (markers[m][0] > start) kept.push({ ...candidate, start, end: markers[m][0] });
      start = markers[m][1];
    }
    if (start < candidate.end) kept.push({ ...candidate, start });
  }
  return kept;
}

function firstMarkerEndingAfter(markers: ReadonlyArray<[number, number]>, position: number): number {
  let lo = 0;
  let hi = markers.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (markers[mid][1] <= position) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function applyFindings(text: string, findings: readonly RedactionFinding[], from = 0, to = text.length): string {
  let out = '';
  let cursor = from;
  for (const finding of findings) {
    if (finding.end <= from || finding.start >= to) continue;
    const start = Math.max(finding.start, from);
    out += text.slice(cursor, start) + `[REDACTED:${finding.pattern}]`;
    cursor = Math.min(finding.end, to);
  }
  return out + text.slice(cursor, to);
}
