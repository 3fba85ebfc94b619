// Worker entry when the service runs from source (tests, ts-node): the worker thread has no
// TypeScript loader of its own, so it compiles the worker as it loads it. Built code uses the
// compiled redaction.worker.js next to this file instead.
require('ts-node').register({ transpileOnly: true, compilerOptions: { module: 'commonjs' } });
module.exports = require('./redaction.worker.ts');
