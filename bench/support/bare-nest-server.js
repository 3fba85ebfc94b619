/**
 * The framework's floor: a Nest app on the same Fastify adapter with one route
 * returning fixed JSON (no guard, pipe, filter, hooks or logging). Next to the
 * bare Fastify baseline it shows how much of the service's cost is Nest itself.
 * Plain JavaScript for the same reason as bare-server.js.
 * Usage: node bench/support/bare-nest-server.js <port> '<json>'
 */
'use strict';
require('reflect-metadata');
const { Controller, Get, HttpCode, Module, Post } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const { FastifyAdapter } = require('@nestjs/platform-fastify');

const [port, json] = process.argv.slice(2);
const body = JSON.parse(json);

class BareController {
  bare() {
    return body;
  }
  health() {
    return { status: 'ok' };
  }
}
const method = (name) => Object.getOwnPropertyDescriptor(BareController.prototype, name);
Reflect.decorate([Post('bare'), HttpCode(200)], BareController.prototype, 'bare', method('bare'));
Reflect.decorate([Get('health')], BareController.prototype, 'health', method('health'));
Controller()(BareController);

class BareModule {}
Module({ controllers: [BareController] })(BareModule);

void NestFactory.create(BareModule, new FastifyAdapter({ logger: false }), { logger: false }).then((app) =>
  app.listen(Number(port), '127.0.0.1'),
);
