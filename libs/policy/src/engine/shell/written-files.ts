import { isSecretPath, normalisePath, type PathContext } from '../paths/workspace-paths';
import type { CommandEffects } from '../rules/rule.types';
import { optionValue, positionals } from './arg-utils';
import type { Redirect } from './shell-session';
import type { ExpandedArg } from './word-expander';

/** What the command line put in a file before running it. */
export interface WrittenFile {
  /** The file's content when the line wrote it from static text (echo, printf, a heredoc, tee of text). */
  content?: string;
  /** Downloaded from the network (curl -o, wget -O, a download redirected into it). */
  network?: boolean;
  /** A copy of a credential file (`cp .env notes.txt`): as secret as the original. */
  secret?: boolean;
  /** A copy of, or link to, a known program (`cp /bin/rm x`, `ln -s $(which curl) c`): runs as that program. */
  aliasOf?: string;
}

/** The archive a command writes and the files it packs (zip, tar, 7z), when the call is one. */
function archiveOf(
  name: string,
  args: readonly ExpandedArg[],
): { output: ExpandedArg; inputs: ExpandedArg[] } | undefined {
  const words = [...args];
  if (name === 'zip') {
    const [output, ...inputs] = positionals(words, ['-P', '--password', '-b', '-n', '-t', '-x', '-i']);
    return output && { output, inputs };
  }
  if (name === '7z' || name === '7za' || name === '7zz') {
    const [command, output, ...inputs] = positionals(words);
    return command?.value === 'a' && output ? { output, inputs } : undefined;
  }
  if (name === 'tar') {
    // `tar czf out.tgz src…` (old style: the f in the first cluster takes the next word) or `tar -czf out.tgz src`.
    const cluster = words.findIndex((word) => /^-?[A-Za-z]*f[A-Za-z]*$/.test(word.value) && /c/.test(word.value));
    const named = optionValue(words, ['--file']);
    const output = named ?? (cluster >= 0 ? words[cluster + 1] : undefined);
    if (!output || !words.some((word) => /^-?[A-Za-z]*c/.test(word.value) || word.value === '--create'))
      return undefined;
    const inputs = words.filter((word, i) => word !== output && i !== cluster && !word.value.startsWith('-'));
    return { output, inputs };
  }
  return undefined;
}

/** Directories whose files are programs: a copy or link of one runs as that program. */
const PROGRAM_DIRS = /^\/(?:usr\/(?:local\/)?)?s?bin\/|^\/opt\/[^/]+\/bin\//;
const WRITE_OPS = new Set(['>', '>|', '>>', '&>', '&>>']);

/**
 * Files written by the command line so far, by absolute path. Running one of them later on the same
 * line (`sh f`, `./f`, `source f`) is judged by what was written into it.
 */
export class WrittenFiles {
  private readonly files = new Map<string, WrittenFile>();

  /** A credential file, or a copy of one made on this line. */
  isSecret(raw: string, paths: PathContext): boolean {
    return isSecretPath(raw, paths) || Boolean(this.get(raw, paths)?.secret);
  }

  /** A file of the project whose content the caller gave (a path relative to the workspace). */
  provide(raw: string, content: string, paths: PathContext): void {
    this.set(raw, { content }, { ...paths, cwd: paths.workspace });
  }

  get(raw: string, paths: PathContext): WrittenFile | undefined {
    return this.files.get(normalisePath(raw, paths));
  }

  /** Output redirected into files: its text when known, or where it came from. */
  recordRedirects(redirects: readonly Redirect[], effects: CommandEffects, paths: PathContext): void {
    for (const redirect of redirects) {
      if (!WRITE_OPS.has(redirect.op) || (redirect.fd !== undefined && redirect.fd !== '1') || redirect.target.dynamic)
        continue;
      const path = normalisePath(redirect.target.value, paths);
      const before = this.files.get(path);
      const appended = redirect.op.endsWith('>>') && before?.content !== undefined && effects.output !== undefined;
      this.files.set(path, {
        content: appended ? before!.content! + effects.output! : effects.output,
        network: Boolean(effects.network) || (redirect.op.endsWith('>>') && Boolean(before?.network)),
      });
    }
  }

  /** What a program writes into files named by its arguments: tee, cp/mv/install/ln, curl -o, wget -O. */
  recordProgram(name: string, args: readonly ExpandedArg[], stdinText: string | undefined, paths: PathContext): void {
    const operands = positionals([...args], ['-m', '--mode', '-o', '-O', '--output', '--output-document', '-t', '-S']);
    switch (name) {
      case 'tee':
        for (const file of operands) if (!file.dynamic) this.set(file.value, { content: stdinText }, paths);
        return;
      case 'cp':
      case 'mv':
      case 'install':
      case 'ln': {
        if (operands.length !== 2 || operands[1].dynamic) return;
        const [source, destination] = operands;
        const known = source.dynamic ? undefined : this.get(source.value, paths);
        const sourcePath = source.dynamic ? '' : normalisePath(source.value, paths);
        if (known) this.set(destination.value, { ...known }, paths);
        else if (!source.dynamic && isSecretPath(source.value, paths))
          this.set(destination.value, { secret: true }, paths);
        else if (PROGRAM_DIRS.test(sourcePath)) {
          this.set(destination.value, { aliasOf: sourcePath.split('/').pop() }, paths);
        }
        return;
      }
      case 'curl':
      case 'wget': {
        const output = optionValue([...args], name === 'curl' ? ['-o', '--output'] : ['-O', '--output-document']);
        if (output && !output.dynamic && output.value !== '-') this.set(output.value, { network: true }, paths);
        return;
      }
    }
    // An archive of credential files (`zip -r k.zip ~/.ssh`, `tar czf k.tgz .env`) is as secret as they are.
    const archive = archiveOf(name, args);
    if (
      archive &&
      !archive.output.dynamic &&
      archive.inputs.some((input) => !input.dynamic && this.isSecret(input.value, paths))
    )
      this.set(archive.output.value, { secret: true }, paths);
  }

  private set(raw: string, file: WrittenFile, paths: PathContext): void {
    this.files.set(normalisePath(raw, paths), file);
  }
}
