/**
 * CLI entry shared by the examples: `npx ts-node examples/<name>.ts [baseUrl]`.
 * The base URL defaults to API_URL, else http://localhost:8000 (the client's own default).
 */
export function runExample(main: (baseUrl?: string) => Promise<unknown>): void {
  main(process.argv[2]).then(
    (result) => {
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    },
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
