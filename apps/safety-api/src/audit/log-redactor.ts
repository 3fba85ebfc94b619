import { Injectable } from '@nestjs/common';
import { Redactor, redactValue } from '@app/redaction';

/** A UUID as `crypto.randomUUID` writes it: the request ids the service mints itself. */
const MINTED_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Distinct identifiers remembered; the memo is emptied when it fills (a run id repeats on every call of its run). */
const MEMO_SIZE = 256;

/** Scrubs secrets from audit events before they are logged or stored. */
@Injectable()
export class LogRedactor {
  private readonly redactor = new Redactor({ maxTextBytes: Number.POSITIVE_INFINITY });
  private readonly identifiers = new Map<string, string>();

  redactValue<T>(value: T): T {
    return redactValue(this.redactor, value);
  }

  redactText(text: string): string {
    return this.redactor.redactUnbounded(text);
  }

  /**
   * A run id or request id (short, one token), redacted like any text but cheaper on the audit path of
   * every call: a UUID alone is left as it is (the Redactor never changes one, which
   * log-redactor.spec.ts checks), and the redaction of other ids is memoised.
   */
  redactIdentifier(id: string): string {
    if (MINTED_UUID.test(id)) return id;
    let redacted = this.identifiers.get(id);
    if (redacted === undefined) {
      if (this.identifiers.size >= MEMO_SIZE) this.identifiers.clear();
      redacted = this.redactText(id);
      this.identifiers.set(id, redacted);
    }
    return redacted;
  }
}
