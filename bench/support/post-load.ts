import autocannon from 'autocannon';

interface PostLoad {
  connections: number;
  durationS: number;
  /** When given, every request gets its own body from it instead of `body`. */
  bodies?: () => unknown;
  /** Sent with every request besides `content-type`. */
  headers?: Record<string, string>;
}

/** autocannon POSTing `body` as JSON to `url` for `durationS` over `connections` keep-alive connections. */
export function postJsonLoad(url: string, body: unknown, load: PostLoad): Promise<autocannon.Result> {
  const { bodies } = load;
  return autocannon({
    url,
    method: 'POST',
    connections: load.connections,
    duration: load.durationS,
    headers: { 'content-type': 'application/json', ...load.headers },
    body: JSON.stringify(body),
    ...(bodies
      ? { requests: [{ setupRequest: (request: object) => ({ ...request, body: JSON.stringify(bodies()) }) }] }
      : {}),
  });
}
