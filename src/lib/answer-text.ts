/**
 * The text of an IMS answer, read as a hostile server could write it: what may be quoted from it in a
 * message, with every secret of the request blanked out in the forms an echo takes, and the values that
 * look like access tokens, to be masked before anything of the answer is printed. Everything here looks
 * at a bounded prefix, or scans once without backtracking, so a 1 MiB answer costs milliseconds.
 */
import { oneLine } from './log-text.js'

/** Shorter secrets are not blanked: they would blank out ordinary words (the reporter does not mask them either). */
const SHORTEST_SECRET = 4

/** Any piece of a secret this long is blanked too: an echo of half a secret, or one cut at a boundary. */
export const FRAGMENT_LENGTH = 8

/** How much of a text is looked at for a quote: quotes are at most a few hundred characters. */
const QUOTE_WINDOW = 2048

/** How much of an HTML page is searched for its title. */
const HTML_HEAD_WINDOW = 8192

/** Token-looking values to mask in one answer, at most: a hostile answer must not flood the log with masks. */
const MOST_TOKENS = 20

/** The longest access token value read, and the longest JWT-shaped value taken for one: IMS tokens are a few KB. */
export const LONGEST_TOKEN = 16_384

/** Token-looking values shorter than this are left alone: masking them would blank ordinary words. */
const SHORTEST_TOKEN = 8

/**
 * Characters that show as nothing, or only change the character before them: format characters (zero-width
 * spaces and joiners, bidi controls, soft hyphens), combining and enclosing marks, variation selectors and
 * the Hangul and Braille blanks. Removed before anything is compared or quoted, so that a secret with one
 * between each of its characters is still the secret.
 */
const INVISIBLE_CHARACTERS = /[\p{Cf}\p{Mn}\p{Me}\u115f\u1160\u3164\uffa0\u2800]/gu

/**
 * Text from outside as a reader sees it: compatibility forms folded (NFKC: full-width letters become
 * ASCII, ligatures letters) and invisible characters removed. Every quote is made of this text.
 */
export function visibleText(text: string): string {
  return text.normalize('NFKC').replace(INVISIBLE_CHARACTERS, '')
}

/** Lower-cases ASCII letters only, so that every index into the result is an index into `text`. */
function asciiLowerCase(text: string): string {
  return text.replace(/[A-Z]+/g, (letters) => letters.toLowerCase())
}

const reversed = (text: string): string => [...text].reverse().join('')

/** Every byte as `%XX`, as a server that percent-encodes each character writes it. */
const everyBytePercentEncoded = (text: string): string =>
  [...Buffer.from(text)].map((byte) => `%${byte.toString(16).padStart(2, '0')}`).join('')

/** Letters and digits only, lower-cased: a secret cut into pieces and joined again by anything at all. */
const lettersAndDigits = (text: string): string => text.toLowerCase().replace(/[^a-z0-9]+/g, '')

/**
 * The forms a secret takes when a server echoes it: as sent, reversed, form-encoded (`URLSearchParams`:
 * space → `+`, `~` → `%7E`), percent-encoded (`encodeURIComponent`, and every byte), JSON-escaped and
 * base64; each compared without regard to the case of ASCII letters.
 */
export function echoForms(secret: string): string[] {
  if (secret.length < SHORTEST_SECRET) return []
  const forms = [
    secret,
    reversed(secret),
    new URLSearchParams({ s: secret }).toString().slice(2),
    encodeURIComponent(secret),
    everyBytePercentEncoded(secret),
    JSON.stringify(secret).slice(1, -1),
    Buffer.from(secret).toString('base64'),
    Buffer.from(secret).toString('base64url'),
  ]
  return [...new Set(forms.map(asciiLowerCase))]
}

/** What looks like a JWT, or the start of one (`eyJ` is `{"` in base64): blanked from every quote, whoever's it is. */
const JWT_START = /eyJ[A-Za-z0-9_-]{5,}(\.[A-Za-z0-9_-]*){0,2}/g

/**
 * Up to this many windows, a text's windows are looked for in the forms by the engine's own string search:
 * the short texts checked whole (a media type, an x-debug-id, an error code) are at most about a hundred
 * characters long.
 */
const FEW_WINDOWS = 128

/** Marks each `FRAGMENT_LENGTH`-character window of `text` (from `0` to `limit`) that is also a window of one of `forms`. */
function markFragments(text: string, limit: number, forms: readonly string[], blank: (from: number, to: number) => void): void {
  const windowCount = Math.min(text.length - FRAGMENT_LENGTH + 1, limit)
  if (windowCount <= 0) return
  if (windowCount <= FEW_WINDOWS) {
    // A walk over the forms' windows in JavaScript (a token's forms are kilobytes) is a loop hot enough for
    // V8 to compile with TurboFan, on every run of the success path, whose code then costs about 5 MiB of peak RSS.
    for (let start = 0; start < windowCount; start++) {
      const window = text.slice(start, start + FRAGMENT_LENGTH)
      if (forms.some((form) => form.includes(window))) blank(start, start + FRAGMENT_LENGTH)
    }
    return
  }
  const windows = new Map<string, number[]>()
  for (let start = 0; start < windowCount; start++) {
    const window = text.slice(start, start + FRAGMENT_LENGTH)
    const starts = windows.get(window)
    if (starts) starts.push(start)
    else windows.set(window, [start])
  }
  // Each form is walked once, looking up the text's windows: the cost is the length of the forms (capped)
  // plus the window looked at, never their product, and nothing the size of an answer is kept.
  for (const form of forms) {
    for (let start = 0; start + FRAGMENT_LENGTH <= form.length; start++) {
      const starts = windows.get(form.slice(start, start + FRAGMENT_LENGTH))
      if (!starts) continue
      for (const at of starts) blank(at, at + FRAGMENT_LENGTH)
      windows.delete(form.slice(start, start + FRAGMENT_LENGTH))
    }
  }
}

/** Blanks secrets out of text quoted from an answer; made once for each answer, from the secrets of its attempt. */
export class Redactor {
  private readonly forms: readonly string[]
  /** Each secret in letters and digits only, and reversed: for pieces joined by other characters. */
  private readonly bareForms: readonly string[]
  /** How far past a window a secret that starts inside it can reach. */
  private readonly longestForm: number

  constructor(secrets: readonly string[]) {
    const plain = secrets.map(visibleText)
    this.forms = [...new Set(plain.flatMap(echoForms))]
    this.bareForms = [
      ...new Set(
        plain
          .filter((secret) => secret.length >= SHORTEST_SECRET)
          .flatMap((secret) => [lettersAndDigits(secret), lettersAndDigits(reversed(secret))]),
      ),
    ]
    this.longestForm = Math.max(0, ...this.forms.map((form) => form.length))
  }

  /**
   * Which characters of `text` (already visible text) belong to a secret in one of its forms, to a piece
   * of one (looked for in the first `limit` characters), or to something shaped like a JWT.
   */
  private secretCharacters(text: string, limit = text.length): Uint8Array {
    const lower = asciiLowerCase(text)
    const blank = new Uint8Array(text.length)
    const fill = (from: number, to: number): void => void blank.fill(1, from, to)
    for (const form of this.forms) {
      for (let at = lower.indexOf(form); at >= 0 && at < limit; at = lower.indexOf(form, at + 1)) fill(at, at + form.length)
    }
    markFragments(lower, limit, this.forms, fill)
    // The same, with everything but letters and digits taken out, mapped back to where each character was.
    const positions: number[] = []
    let bare = ''
    for (let at = 0; at < Math.min(lower.length, limit + FRAGMENT_LENGTH); at++) {
      if (/[a-z0-9]/.test(lower.charAt(at))) {
        positions.push(at)
        bare += lower.charAt(at)
      }
    }
    markFragments(bare, bare.length, this.bareForms, (from, to) => fill(positions[from] ?? 0, (positions[to - 1] ?? 0) + 1))
    for (const match of text.slice(0, limit + this.longestForm).matchAll(JWT_START)) fill(match.index, match.index + match[0].length)
    return blank
  }

  /** Whether `text` holds no secret in any form, no piece of one and nothing shaped like a JWT. */
  isClean(text: string): boolean {
    return text === visibleText(text) && !this.secretCharacters(text).includes(1)
  }

  /**
   * The first `QUOTE_WINDOW` characters of `text`, as a reader sees them (`visibleText`), with each secret,
   * in each form and each piece, replaced by `***`, and only then made one line and cut to `maxLength`.
   * A secret that starts inside the window is blanked whole, however far it reaches past it.
   */
  quote(text: string, maxLength: number): string {
    const scanned = visibleText(text.slice(0, QUOTE_WINDOW + this.longestForm))
    const end = Math.min(scanned.length, QUOTE_WINDOW)
    const blank = this.secretCharacters(scanned, end)
    let quoted = ''
    for (let at = 0; at < end;) {
      if (blank[at]) {
        quoted += '***'
        while (at < scanned.length && blank[at]) at++
      } else {
        const from = at
        while (at < end && !blank[at]) at++
        quoted += scanned.slice(from, at)
      }
    }
    const line = oneLine(quoted, maxLength)
    return text.length > QUOTE_WINDOW && !line.endsWith('…') ? `${line}…` : line
  }
}

/**
 * The title of an HTML page, found by a plain scan of its first `HTML_HEAD_WINDOW` characters (a
 * lazy regex over a page of unclosed `<title>` tags takes quadratic time); undefined when there is none.
 */
export function htmlTitleOf(html: string): string | undefined {
  const head = html.slice(0, HTML_HEAD_WINDOW)
  const lower = asciiLowerCase(head)
  for (let open = lower.indexOf('<title'); open >= 0; open = lower.indexOf('<title', open + 1)) {
    // `<title>` or `<title lang=…>`, not `<titles>`.
    if (!/[\s>/]/.test(lower.charAt(open + 6))) continue
    const start = lower.indexOf('>', open)
    if (start < 0) return undefined
    const end = lower.indexOf('</title', start)
    return end < 0 ? undefined : head.slice(start + 1, end)
  }
  return undefined
}

/** A JWT, as IMS access tokens are: `eyJ…` header, payload, signature. */
const JWT_SHAPE = /^eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/

/** Runs of the characters a JWT is made of. One character class, so each run is found in one pass. */
const TOKEN_CHARACTER_RUNS = /[A-Za-z0-9_.-]{16,}/g

/** The string values of `"access_token"` fields in raw text, parseable JSON or not, closed or not. */
function accessTokenFieldValues(text: string, found: Set<string>): void {
  const key = '"access_token"'
  for (let at = text.indexOf(key); at >= 0 && found.size < MOST_TOKENS; at = text.indexOf(key, at + key.length)) {
    let start = at + key.length
    while (/\s/.test(text.charAt(start))) start++
    if (text.charAt(start) !== ':') continue
    start++
    while (/\s/.test(text.charAt(start))) start++
    if (text.charAt(start) !== '"') continue
    start++
    let end = start
    while (end < text.length && end - start < LONGEST_TOKEN && text.charAt(end) !== '"') end += text.charAt(end) === '\\' ? 2 : 1
    const raw = text.slice(start, Math.min(end, text.length))
    // Decoding only shortens a value: a raw value too short to mask has no decoded form worth masking.
    if (raw.length < SHORTEST_TOKEN) continue
    found.add(raw)
    try {
      // A JSON string literal parses to a string.
      found.add(String(JSON.parse(`"${raw}"`)))
    } catch {
      // Cut short or badly escaped: the raw text is what could be quoted.
    }
  }
}

/** All token-looking values of one answer together, at most: what the redactor of the answer walks for each quote. */
const MOST_TOKEN_CHARACTERS = 2 * LONGEST_TOKEN

/**
 * Every value in `text` that could be an access token: the value of any `"access_token"` field (in JSON
 * or in text that only looks like JSON) and any JWT-shaped string no longer than a token can be. At most
 * `MOST_TOKENS`, each at least `SHORTEST_TOKEN` characters long, `MOST_TOKEN_CHARACTERS` in all.
 */
export function tokenLookalikes(text: string): string[] {
  const found = new Set<string>()
  accessTokenFieldValues(text, found)
  for (const [run] of text.matchAll(TOKEN_CHARACTER_RUNS)) {
    if (found.size >= MOST_TOKENS) break
    const at = run.indexOf('eyJ')
    if (at < 0) continue
    // Three parts at most, each cut where a token cannot reach: never a value the size of the answer.
    const candidate = run
      .slice(at, at + 3 * LONGEST_TOKEN)
      .split('.', 3)
      .join('.')
    if (candidate.length <= LONGEST_TOKEN && JWT_SHAPE.test(candidate)) found.add(candidate)
  }
  const tokens: string[] = []
  let characters = 0
  for (const value of found) {
    if (value.length < SHORTEST_TOKEN || tokens.length >= MOST_TOKENS || characters + value.length > MOST_TOKEN_CHARACTERS) continue
    tokens.push(value)
    characters += value.length
  }
  return tokens
}

/**
 * The media types an IMS answer, or a gateway or proxy in front of it, plausibly has: only these are
 * quoted, lower-cased; any other is "an unusual content type", whatever it holds.
 */
const KNOWN_MEDIA_TYPES = new Set([
  'application/json',
  'application/problem+json',
  'application/javascript',
  'application/xml',
  'application/xhtml+xml',
  'application/x-www-form-urlencoded',
  'application/octet-stream',
  'text/html',
  'text/plain',
  'text/xml',
  'text/css',
  'text/javascript',
])

/** A debug id of a known shape: a UUID, as IMS sends them, or a run of hex digits. */
const PLAUSIBLE_DEBUG_ID = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{16,64})$/i

/** IMS's `error` as IMS writes them (`invalid_client`, `server_error`): lower-case words joined by `_`. */
const PLAUSIBLE_ERROR_CODE = /^[a-z]{2,20}(_[a-z]{2,20}){0,4}$/

/** A `token_type` is one short word (`bearer`). */
const PLAUSIBLE_TOKEN_TYPE = /^[A-Za-z]{2,16}$/

/** The media type of a Content-Type header, when it is a known one; a description otherwise. */
export function quotableMediaType(contentType: string | undefined, redactor: Redactor): string {
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase() ?? ''
  if (mediaType === '') return 'no content type'
  return KNOWN_MEDIA_TYPES.has(mediaType) && redactor.isClean(mediaType) ? mediaType : 'an unusual content type'
}

/** The x-debug-id, whole, when it has a known shape and holds no secret; undefined otherwise. */
export function quotableDebugId(debugId: string | undefined, redactor: Redactor): string | undefined {
  return debugId !== undefined && PLAUSIBLE_DEBUG_ID.test(debugId) && redactor.isClean(debugId) ? debugId : undefined
}

/** IMS's error code, when it is one short word and holds no secret; undefined otherwise. */
export function quotableErrorCode(error: string, redactor: Redactor): string | undefined {
  return PLAUSIBLE_ERROR_CODE.test(error) && redactor.isClean(error) ? error : undefined
}

/** The token type, when it is one short word and holds no secret; undefined otherwise. */
export function quotableTokenType(tokenType: unknown, redactor: Redactor): string | undefined {
  return typeof tokenType === 'string' && PLAUSIBLE_TOKEN_TYPE.test(tokenType) && redactor.isClean(tokenType) ? tokenType : undefined
}
