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
