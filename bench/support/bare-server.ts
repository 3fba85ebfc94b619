/**
 * The baseline: a bare Fastify route returning fixed JSON, in its own process
 * like the service, so the ratio measures what the service adds.
 * Usage: ts-node bench/support/bare-server.ts <port> '<json>'
 */
import Fastify from 'fastify';

const [port, json] = process.argv.slice(2);
const body = JSON.parse(json);
const app = Fastify({ logger: false });
app.post('/bare', async () => body);
app.get('/health', async () => ({ status: 'ok' }));
void app.listen({ port: Number(port), host: '127.0.0.1' });
