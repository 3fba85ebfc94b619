import { Injectable } from '@nestjs/common';

/**
 * Scrubs secrets from anything the service logs or stores as audit data.
 * Placeholder until @app/redaction lands: it is replaced by the Redactor.
 */
@Injectable()
export class LogRedactor {
  redactValue<T>(value: T): T {
    return value;
  }
}
