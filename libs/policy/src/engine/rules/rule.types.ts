/** What a command is known to produce, for the next stage of a pipeline. */
export interface CommandEffects {
  /** Its stdout, when computable statically (echo, printf, base64 -d of a literal). */
  output?: string;
  /** Text known to be part of its stdout when the whole is not (a group where only the echo is static). */
  outputIncludes?: string;
  /** The output was decoded from an encoding (base64, hex, printf escapes). */
  obfuscated?: boolean;
  /** The output comes from the network (curl, wget, nc). */
  network?: boolean;
  /** The output contains secrets (key files, env dumps). */
  readsSecret?: boolean;
  /** The output lists paths found under these directories (find without actions), normalised. */
  listsPathsUnder?: string[];
}
