/** What the tool scripts share: flags read with node:util parseArgs, `--help`, and one-line refusals. */
import { writeSync } from 'node:fs'
import { type ParseArgsConfig, parseArgs } from 'node:util'

/** A refusal a person can act on: the script prints its message as one line, without a stack trace. */
export class CliError extends Error {}

function isParseArgsError(error: unknown): error is Error {
  return error instanceof Error && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS_')
}

/**
 * Ends the script at once with `text` on stdout (`code` 0) or stderr. Written synchronously: a pipe on
 * Windows is asynchronous for process.stdout, and process.exit would cut the text short.
 */
function exitWith(code: number, text: string): never {
  writeSync(code === 0 ? 1 : 2, `${text}\n`)
  process.exit(code)
}

/**
 * The script's flags, read with parseArgs and with `--help` (`-h`) added: `--help` prints `help`
 * and ends the script with exit code 0, whatever else is given. An unknown flag, a flag without its value
 * or a stray argument ends it with one line, parseArgs' first sentence ("Unknown option '--round'") and
 * where the flags are listed, and exit code 1. `command` is how a person starts the script, `npm start --`.
 */
export function readScriptFlags<T extends ParseArgsConfig>(command: string, config: T, help: string): ReturnType<typeof parseArgs<T>> {
  const args = config.args ?? process.argv.slice(2)
  // --help wins over anything wrong beside it: whoever asks for help is told what is right.
  if (args.includes('--help') || args.includes('-h')) exitWith(0, help)
  try {
    // Strict, parseArgs' default: an unknown flag is an error, not a value.
    return parseArgs({ ...config, args }) as ReturnType<typeof parseArgs<T>>
  } catch (error) {
    if (!isParseArgsError(error)) throw error
    exitWith(1, `${error.message.split(/\.\s/)[0]?.replace(/\.$/, '')}. ${command} --help lists the flags.`)
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
