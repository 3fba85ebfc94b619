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
    findings.push({ pattern: candidate.name, start: candidate.start, end: candidate.end, confidence: candidate.confidence });
    widest = candidate.end - candidate.start;
  }
  return findings;
}

const MARKER = /\[REDACTED:[A-Za-z0-9_.-]{1,128}\]/g;

/** Drops claims that touch an existing `[REDACTED:…]` marker: redacting redacted text changes nothing. */
export function withoutMarkerOverlaps(text: string, candidates: Candidate[]): Candidate[] {
  if (!text.includes('[REDACTED:')) return candidates;
  const markers: Array<[number, number]> = [];
  MARKER.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = MARKER.exec(text)) !== null) markers.push([match.index, match.index + match[0].length]);
  if (markers.length === 0) return candidates;
  return candidates.filter((c) => {
    let lo = 0;
    let hi = markers.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (markers[mid][1] <= c.start) lo = mid + 1;
      else hi = mid;
    }
    return !(lo < markers.length && markers[lo][0] < c.end);
  });
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
