import { execFileSync } from 'node:child_process';
import { LocalBwrapSandboxProvider } from '../libs/sandbox/src/adapters/local/local-bwrap-sandbox.provider';
(async () => {
  const p = new LocalBwrapSandboxProvider({ workspaceRoot: '/tmp/sbx-try', hostUid: 10058, hostGid: 10058 });
  await p.assertAvailable();
  const s = await p.create('base');
  for (let i = 0; i < 3; i++) {
    let t = Date.now();
    const r = await p.execute(s, 'id -u', 10000);
    console.log('exec ms', Date.now() - t, r.duration_ms);
    try { console.log(execFileSync('ps', ['-o', 'pid=,ppid=,stat=,args=', '-u', '10058'], { encoding: 'utf8' })); } catch { console.log('none'); }
  }
  await p.destroy(s);
})();
