/**
 * The baseline: a bare Fastify route returning fixed JSON, in its own process
 * like the service, so the ratio measures what the service adds.
 * Plain JavaScript on purpose: under ts-node the baseline would pay for
 * node:domain, which ts-node loads and which makes every EventEmitter (two or
 * more per request) slower, a handicap the compiled service does not have.
 * Usage: node bench/support/bare-server.js <port> '<json>'
 */
'use strict';
const Fastify = require('fastify');

const [port, json] = process.argv.slice(2);
const body = JSON.parse(json);
const app = Fastify({ logger: false });
app.post('/bare', async () => body);
app.get('/health', async () => ({ status: 'ok' }));
void app.listen({ port: Number(port), host: '127.0.0.1' });
