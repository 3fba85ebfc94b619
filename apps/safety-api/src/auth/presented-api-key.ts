import type { IncomingHttpHeaders } from 'node:http';

/** The API key a caller sent: `X-API-Key: <key>`, else `Authorization: Bearer <key>`. */
export function presentedApiKey(headers: IncomingHttpHeaders): string | undefined {
  const header = headers['x-api-key'];
  const apiKey = Array.isArray(header) ? header[0] : header;
  if (apiKey) return apiKey;
  const bearer = headers.authorization ? /^Bearer\s+(.+)$/i.exec(headers.authorization) : null;
  return bearer?.[1]?.trim();
}
