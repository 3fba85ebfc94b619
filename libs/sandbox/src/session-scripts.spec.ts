import { SessionScripts, scriptFiles } from './session-scripts';

describe('SessionScripts', () => {
  it('keeps uploaded text by path relative to /workspace, latest upload first', () => {
    const scripts = new SessionScripts();
    scripts.record('s1', [
      { path: '/workspace/scripts/x.sh', content: 'echo one' },
      { path: './Makefile', content: Buffer.from('all:\n\ttrue\n') },
    ]);
    scripts.record('s1', [{ path: 'scripts/x.sh', content: 'echo two' }]);
    expect(scripts.get('s1')).toEqual({ 'scripts/x.sh': 'echo two', Makefile: 'all:\n\ttrue\n' });
    expect(scripts.get('s2')).toBeUndefined();
  });

  it('forgets binary content, files over 64 KiB and what goes past 160 KiB a session, and a destroyed session', () => {
    const scripts = new SessionScripts();
    scripts.record('s1', [
      { path: 'bin', content: Buffer.from([0, 1, 2]) },
      { path: 'big.sh', content: 'x'.repeat(64 * 1024 + 1) },
      { path: 'a.sh', content: 'a'.repeat(64 * 1024) },
      { path: 'b.sh', content: 'b'.repeat(64 * 1024) },
      { path: 'c.sh', content: 'c'.repeat(32 * 1024) },
      { path: 'd.sh', content: 'd' },
    ]);
    expect(Object.keys(scripts.get('s1') ?? {})).toEqual(['a.sh', 'b.sh', 'c.sh']);
    scripts.record('s1', [{ path: 'a.sh', content: Buffer.from([0]) }]);
    expect(Object.keys(scripts.get('s1') ?? {})).toEqual(['b.sh', 'c.sh']);
    scripts.forget('s1');
    expect(scripts.get('s1')).toBeUndefined();
  });

  it('gives a one-shot execution its files under the same bounds', () => {
    expect(scriptFiles(undefined)).toBeUndefined();
    expect(scriptFiles([{ path: 'run.sh', content: 'ls' }])).toEqual({ 'run.sh': 'ls' });
  });
});
