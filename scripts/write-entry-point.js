// tsc keeps the repository layout under dist/apps/safety-api (the app and the
// libs it imports share one root), so the compiled entry point sits at
// dist/apps/safety-api/apps/safety-api/src/main.js. This writes the stable
// entry point that start:prod, the Dockerfile and Kubernetes use.
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');

const target = join(__dirname, '..', 'dist', 'apps', 'safety-api', 'main.js');
writeFileSync(target, "'use strict';\nrequire('./apps/safety-api/src/main');\n");
