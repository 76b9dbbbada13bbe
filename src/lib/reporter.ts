/**
 * What the pure modules may tell the outside world. main.ts wires it to `@actions/core`; tests pass a
 * recorder. `maskSecret` is called the moment a secret or a value derived from one comes into being, so
 * the runner masks it before anything could print it.
 */
export interface Reporter {
  maskSecret(value: string): void
  info(message: string): void
  warning(message: string): void
  debug(message: string): void
}

/** What the runner's toolkit offers a step for the log: `@actions/core`'s functions of these names. */
export interface RunnerLog {
  setSecret(value: string): void
  info(message: string): void
  warning(message: string): void
  debug(message: string): void
}

/** The entries' reporter: the runner's log, each mask registered once (the same secret arrives from several places). */
export function runnerReporter(log: RunnerLog): Reporter {
  const masked = new Set<string>()
  return {
    maskSecret: (value) => {
      if (!masked.has(value)) log.setSecret(value)
      masked.add(value)
    },
    info: (message) => log.info(message),
    warning: (message) => log.warning(message),
    debug: (message) => log.debug(message),
  }
}

/**
 * The same reporter, masking as before, but with its info and warning lines turned into debug lines: the
 * post step reads the inputs again, and the main step has already said what there is to say about them.
 */
export function quietReporter(reporter: Reporter): Reporter {
  return {
    maskSecret: (value) => reporter.maskSecret(value),
    info: (message) => reporter.debug(message),
    warning: (message) => reporter.debug(message),
    debug: (message) => reporter.debug(message),
  }
}

/** Strings shorter than this are not registered as masks: they carry no secret and would blank out common text. */
const SHORTEST_MASK = 4

/**
 * Registers `text` with the masker the way the runner can match it: the runner masks line by line, so
 * every line of a multi-line secret (and every piece between literal `\n` escapes) is registered too.
 */
export function maskSecretText(reporter: Reporter, text: string): void {
  const pieces = text.split(/\r\n|\r|\n|\\r\\n|\\n|\\r/).map((piece) => piece.trim())
  // A value on one line is also masked whole; the runner cannot match a multi-line value as one.
  if (!/[\r\n]/.test(text.trim())) pieces.push(text.trim())
  for (const piece of new Set(pieces)) {
    if (piece.length >= SHORTEST_MASK && !/^-----(BEGIN|END) [A-Z0-9 ]+-----$/.test(piece)) reporter.maskSecret(piece)
  }
}
