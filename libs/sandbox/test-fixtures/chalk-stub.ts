/**
 * jest cannot load the ESM-only chalk 5 that the e2b SDK requires (Node itself
 * can). The SDK uses chalk only to colour template-build logs, so specs that
 * load the SDK swap in this pass-through styler. A jest transform for chalk
 * (transformIgnorePatterns) would make this unnecessary.
 */
type Styler = ((text: string) => string) & { [style: string]: Styler };

function styler(): Styler {
  const identity = ((text: string) => text) as Styler;
  return new Proxy(identity, {
    get: (target, property) =>
      property === 'call' || property === 'apply' || property === 'bind' ? Reflect.get(target, property) : styler(),
    apply: (_target, _this, args: unknown[]) =>
      typeof args[0] === 'string' && args.length === 1 && !String(args[0]).startsWith('#') ? args[0] : styler(),
  });
}

const chalk = styler();
module.exports = { __esModule: true, default: chalk, chalkStderr: chalk, supportsColor: false };
