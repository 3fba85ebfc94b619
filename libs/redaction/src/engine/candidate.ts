import type { Confidence } from '../redaction.types';

/** A span some detector claims, before overlapping claims are merged. Lower priority wins a tie. */
export interface Candidate {
  name: string;
  start: number;
  end: number;
  confidence: Confidence;
  priority: number;
}
