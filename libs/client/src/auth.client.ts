import type { CallOptions, SafetyClientOptions } from './client.options';
import type { Principal } from './client.types';
import { SafetyHttp } from './http/safety-http';

/** Who the configured API key is: `GET /api/v1/safety/whoami`. */
export class AuthClient {
  private readonly http: SafetyHttp;

  constructor(baseUrl?: string, options?: SafetyClientOptions) {
    this.http = new SafetyHttp(baseUrl, options);
  }

  /** The key's principal id, tenant and role (and the tenant this client acts in). Retried: it changes nothing. */
  whoami(options?: CallOptions): Promise<Principal> {
    return this.http.send(
      'GET /api/v1/safety/whoami',
      (init) => this.http.api.GET('/api/v1/safety/whoami', { ...init }),
      { retrySafe: true, call: options },
    );
  }
}
