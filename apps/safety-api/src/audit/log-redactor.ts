import { Injectable } from '@nestjs/common';
import { Redactor, redactValue } from '@app/redaction';

/** Scrubs secrets from audit events before they are logged or stored. */
@Injectable()
export class LogRedactor {
  private readonly redactor = new Redactor({ maxTextBytes: Number.POSITIVE_INFINITY });

  redactValue<T>(value: T): T {
    return redactValue(this.redactor, value);
  }

  redactText(text: string): string {
    return this.redactor.redactUnbounded(text);
  }
}
