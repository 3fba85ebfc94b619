import { Logger } from '@nestjs/common';
import { createTestApp } from '../apps/safety-api/test/support/create-test-app';
(async () => {
  Logger.overrideLogger(false);
  const app = await createTestApp();
  await app.listen(0, '127.0.0.1');
  const url = await app.getUrl();
  const body = JSON.stringify({ action: 'execute_code', context: { command: 'x'.repeat(Number(process.env.MB ?? 12) * 1024 * 1024) } });
  let ok = 0, failed = 0;
  for (let i = 0; i < 20; i++) {
    try {
      const res = await fetch(`${url.replace('[::1]', '127.0.0.1')}/api/v1/safety/check`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      const json = await res.json();
      if (res.status === 413 && json.code === 'PAYLOAD_TOO_LARGE') ok++; else { failed++; console.log(res.status, json); }
    } catch (e) { failed++; console.log('error', (e as Error).message, ((e as Error).cause as Error)?.message); }
  }
  console.log({ ok, failed });
  await app.close();
})();
