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

/** The longest access token value read: IMS tokens are a few KB. */
const LONGEST_TOKEN = 16_384

/** Token-looking values shorter than this are left alone: masking them would blank ordinary words. */
const SHORTEST_TOKEN = 8

/** Lower-cases ASCII letters only, so that every index into the result is an index into `text`. */
function asciiLowerCase(text: string): string {
  return text.replace(/[A-Z]+/g, (letters) => letters.toLowerCase())
}

/**
 * The forms a secret takes when a server echoes it: as sent, form-encoded (`URLSearchParams`: space → `+`,
 * `~` → `%7E`), percent-encoded (`encodeURIComponent`), JSON-escaped and base64; each compared without
 * regard to the case of ASCII letters.
 */
export function echoForms(secret: string): string[] {
  if (secret.length < SHORTEST_SECRET) return []
  const forms = [
    secret,
    new URLSearchParams({ s: secret }).toString().slice(2),
    encodeURIComponent(secret),
    JSON.stringify(secret).slice(1, -1),
    Buffer.from(secret).toString('base64'),
    Buffer.from(secret).toString('base64url'),
  ]
  return [...new Set(forms.map(asciiLowerCase))]
}

/** Blanks secrets out of text quoted from an answer; made once for the secrets of one attempt. */
export class Redactor {
  private readonly forms: readonly string[]
  private readonly fragments: ReadonlySet<string>
  /** How far past a window a secret that starts inside it can reach. */
  private readonly longestForm: number

  constructor(secrets: readonly string[]) {
    this.forms = [...new Set(secrets.flatMap(echoForms))]
    const fragments = new Set<string>()
    for (const form of this.forms)
      for (let start = 0; start + FRAGMENT_LENGTH <= form.length; start++) fragments.add(form.slice(start, start + FRAGMENT_LENGTH))
    this.fragments = fragments
    this.longestForm = Math.max(0, ...this.forms.map((form) => form.length))
  }

  /** Which characters of `text` belong to a secret in one of its forms, or to a piece of one. */
  private secretCharacters(text: string): Uint8Array {
    const lower = asciiLowerCase(text)
    const blank = new Uint8Array(text.length)
    for (const form of this.forms) {
      for (let at = lower.indexOf(form); at >= 0; at = lower.indexOf(form, at + 1)) blank.fill(1, at, at + form.length)
    }
    for (let start = 0; start + FRAGMENT_LENGTH <= lower.length; start++) {
      if (this.fragments.has(lower.slice(start, start + FRAGMENT_LENGTH))) blank.fill(1, start, start + FRAGMENT_LENGTH)
    }
    return blank
  }

  /** Whether `text` holds no secret in any form and no piece of one. */
  isClean(text: string): boolean {
    return !this.secretCharacters(text).includes(1)
  }

  /**
   * The first `QUOTE_WINDOW` characters of `text` with each secret, in each form and each piece, replaced
   * by `***`, and only then made one line and cut to `maxLength`. A secret that starts inside the window is
   * blanked whole, however far it reaches past it.
   */
  quote(text: string, maxLength: number): string {
    const end = Math.min(text.length, QUOTE_WINDOW)
    const scanned = text.slice(0, QUOTE_WINDOW + this.longestForm)
    const blank = this.secretCharacters(scanned)
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

/**
 * Every value in `text` that could be an access token: the value of any `"access_token"` field (in JSON
 * or in text that only looks like JSON) and any JWT-shaped string. At most `MOST_TOKENS`, each at least
 * `SHORTEST_TOKEN` characters long.
 */
export function tokenLookalikes(text: string): string[] {
  const found = new Set<string>()
  accessTokenFieldValues(text, found)
  for (const [run] of text.matchAll(TOKEN_CHARACTER_RUNS)) {
    if (found.size >= MOST_TOKENS) break
    const at = run.indexOf('eyJ')
    if (at < 0) continue
    const candidate = run.slice(at).split('.').slice(0, 3).join('.')
    if (JWT_SHAPE.test(candidate)) found.add(candidate)
  }
  return [...found].filter((value) => value.length >= SHORTEST_TOKEN).slice(0, MOST_TOKENS)
}

/** A media type as RFC 6838 allows it (`type/subtype`), short: anything else is not quoted. */
const PLAUSIBLE_MEDIA_TYPE = /^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,63}\/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,63}$/

/** A debug id as IMS sends them (a UUID), or any short id of the same characters. */
const PLAUSIBLE_DEBUG_ID = /^[A-Za-z0-9._:-]{1,100}$/

/** The media type of a Content-Type header, when it is one and holds no secret; a description otherwise. */
export function quotableMediaType(contentType: string | undefined, redactor: Redactor): string {
  const mediaType = contentType?.split(';')[0]?.trim() ?? ''
  if (mediaType === '') return 'no content type'
  return PLAUSIBLE_MEDIA_TYPE.test(mediaType) && redactor.isClean(mediaType) ? mediaType : 'an unusual content type'
}

/** The x-debug-id, whole, when it looks like one and holds no secret; undefined otherwise. */
export function quotableDebugId(debugId: string | undefined, redactor: Redactor): string | undefined {
  return debugId !== undefined && PLAUSIBLE_DEBUG_ID.test(debugId) && redactor.isClean(debugId) ? debugId : undefined
}
