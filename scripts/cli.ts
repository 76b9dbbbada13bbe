/** What the tool scripts share: one-line refusals, and flags read with node:util parseArgs. */

/** A refusal a person can act on: the script prints its message as one line, without a stack trace. */
export class CliError extends Error {}

function isParseArgsError(error: unknown): error is Error {
  return error instanceof Error && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS_')
}

/**
 * Runs `parse` (a parseArgs call); an unknown flag, a flag without its value or a stray argument becomes a
 * CliError: parseArgs' first sentence ("Unknown option '--round'"), then how to call the script.
 */
export function readFlags<T>(parse: () => T, usage: string): T {
  try {
    return parse()
  } catch (error) {
    if (!isParseArgsError(error)) throw error
    throw new CliError(`${error.message.split(/\.\s/)[0]?.replace(/\.$/, '')}. ${usage}`)
  }
}

/** Runs a script's body: a CliError ends it with its one line on stderr and exit code 1. */
export async function runScript(main: () => Promise<number> | number): Promise<void> {
  try {
    process.exitCode = await main()
  } catch (error) {
    if (!(error instanceof CliError)) throw error
    console.error(error.message)
    process.exitCode = 1
  }
}
