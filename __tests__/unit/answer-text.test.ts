/**
 * What may be quoted from an answer a hostile server wrote, and what is masked of it. The 1 MiB inputs
 * are those that took seconds to minutes with a backtracking regex: under jest's timeout they prove the
 * scans are linear without timing anything.
 */
import { describe, expect, it } from '@jest/globals'
import {
  echoForms,
  htmlTitleOf,
  quotableDebugId,
  quotableErrorCode,
  quotableMediaType,
  quotableTokenType,
  Redactor,
  tokenLookalikes,
  visibleText,
} from '../../src/lib/answer-text.js'
import { failureOfAnswer } from '../../src/lib/ims-answer.js'
import type { HttpAnswer } from '../../src/lib/http-form.js'

const SECRET = 'p8e-Q3vY~k2_Lm9~Rt7+ZpXw4Nc/a"b\\c'
const redactor = new Redactor([SECRET, 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl'])
const MIB = 1024 * 1024

describe('Redactor.quote', () => {
  it.each([
    ['as sent', SECRET],
    ['form-encoded', new URLSearchParams({ s: SECRET }).toString().slice(2)],
    ['percent-encoded', encodeURIComponent(SECRET)],
    ['JSON-escaped', JSON.stringify(SECRET).slice(1, -1)],
    ['lower-cased', SECRET.toLowerCase()],
    ['upper-cased and form-encoded', new URLSearchParams({ s: SECRET }).toString().slice(2).toUpperCase()],
    ['base64', Buffer.from(SECRET).toString('base64')],
    ['as its first half', SECRET.slice(0, 17)],
    ['as a piece of 8 characters from its middle', SECRET.slice(9, 17)],
  ])('blanks a secret %s', (_form, echoed) => {
    expect(redactor.quote(`before ${echoed} after`, 200)).toBe('before *** after')
  })

  it('blanks before it cuts, so that a cut never leaves a piece of a secret', () => {
    const quoted = redactor.quote(`${'x'.repeat(50)} ${SECRET} ${'y'.repeat(100)}`, 60)
    expect(quoted).toBe(`${'x'.repeat(50)} *** ${'y'.repeat(4)}…`)
  })

  it('blanks a secret that starts inside the window looked at and ends past it', () => {
    const quoted = redactor.quote(`${'x'.repeat(2040)} ${SECRET} and more`, 4000)
    expect(quoted).toBe(`${'x'.repeat(2040)} ***…`)
  })

  it('marks a text cut at the window looked at, however short the quote', () => {
    expect(redactor.quote(`${'p8e-Q3vY~k2_ '.repeat(200)}${'z'.repeat(5000)}`, 200)).toMatch(/^(\*\*\* )+\*\*\*…$/)
  })

  it('leaves ordinary text alone', () => {
    expect(redactor.quote('invalid client_secret parameter', 200)).toBe('invalid client_secret parameter')
    expect(redactor.isClean('invalid client_secret parameter')).toBe(true)
    expect(redactor.isClean(`x${SECRET.slice(3, 11).toUpperCase()}`)).toBe(false)
  })

  it('ignores secrets too short to blank, as the masker does', () => {
    expect(echoForms('abc')).toEqual([])
    expect(new Redactor(['abc']).quote('abc abcd', 20)).toBe('abc abcd')
  })

  it('stays linear on 1 MiB that repeats the start of a secret', () => {
    expect(redactor.quote(SECRET.slice(0, 12).repeat(MIB / 12), 100)).toBe('***…')
  })
})

describe('htmlTitleOf', () => {
  it.each([
    ['<html><head><title>502 Bad Gateway</title></head></html>', '502 Bad Gateway'],
    ['<HTML><TITLE lang="en">Sign in</TITLE>', 'Sign in'],
    ['<html><titles>no</titles><title>yes</title>', 'yes'],
    ['<html><title>never closed', undefined],
    ['<html><title', undefined],
    ['<html>no title', undefined],
    [`<html>${' '.repeat(9000)}<title>too far</title>`, undefined],
  ])('%j has the title %j', (html, title) => {
    expect(htmlTitleOf(html)).toBe(title)
  })

  it('finds no title in 1 MiB of unclosed <title> tags', () => {
    expect(htmlTitleOf(`<html>${'<title>'.repeat(MIB / 7)}`)).toBeUndefined()
    expect(htmlTitleOf(`<html>${'<title '.repeat(MIB / 7)}`)).toBeUndefined()
  })
})

describe('tokenLookalikes', () => {
  const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJ0eXBlIjoiYWNjZXNzX3Rva2VuIn0.U2lnbmF0dXJlLW9mLXRoZS10b2tlbg'

  it.each([
    ['JSON', JSON.stringify({ access_token: 'opaque-token-1234', token_type: 'bearer' }), ['opaque-token-1234']],
    ['an XSSI prefix', `)]}'\n{"access_token" : "opaque-token-1234"}`, ['opaque-token-1234']],
    ['trailing text', `{"access_token":"opaque-token-1234"} and more`, ['opaque-token-1234']],
    ['a body cut short inside the token', '{"access_token":"opaque-token-12', ['opaque-token-12']],
    ['an escaped value', '{"access_token":"opaque\\/token\\/1234"}', ['opaque\\/token\\/1234', 'opaque/token/1234']],
    ['a badly escaped value', '{"access_token":"opaque-token\\q1234"}', ['opaque-token\\q1234']],
    ['a JWT in text', `token=${jwt};`, [jwt]],
    ['a JWT as access_token', JSON.stringify({ access_token: jwt }), [jwt]],
    ['a value too short to mask', '{"access_token":"short"}', []],
    ['a key without a string value', '{"access_token": 12, "access_token" "x"}', []],
    ['a JWT-like word without a payload', 'eyJhbGciOiJSUzI1NiJ9 alone', []],
  ])('finds the tokens in %s', (_case, text, tokens) => {
    expect(tokenLookalikes(text)).toEqual(tokens)
  })

  it('masks at most 20 values of one answer', () => {
    const text = Array.from({ length: 30 }, (_, index) => `"access_token":"token-number-${index}"`).join(',')
    expect(tokenLookalikes(text)).toHaveLength(20)
    const jwts = Array.from({ length: 30 }, (_, index) => `${jwt}${index}`).join(' ')
    expect(tokenLookalikes(jwts)).toHaveLength(20)
  })

  it.each([
    ['"access_token":"', 16],
    ['\\"access_token\\":\\"', 19],
    ['eyJ', 3],
    ['eyJa.', 5],
    ['a', 1],
  ])('stays linear on 1 MiB of %j', (piece, length) => {
    const found = tokenLookalikes(piece.repeat(MIB / length))
    expect(found.length).toBeLessThanOrEqual(20)
    expect(found.every((token) => token.length <= 16_384 * 2)).toBe(true)
  })
})

describe('quotable header values', () => {
  it.each([
    ['application/json;charset=utf-8', 'application/json'],
    [undefined, 'no content type'],
    ['', 'no content type'],
    ['text/<b>html</b>', 'an unusual content type'],
    ['Text/HTML', 'text/html'],
    ['application/x-p8eq3vy', 'an unusual content type'],
    [`text/${SECRET.slice(0, 10)}`, 'an unusual content type'],
    [`application/x-${SECRET.slice(0, 12).toLowerCase().replace('~', '')}`, 'an unusual content type'],
  ])('content type %j is quoted as %j', (contentType, quoted) => {
    expect(quotableMediaType(contentType, redactor)).toBe(quoted)
  })

  it.each([
    ['8c1f1a4e-3f7e-4a8e-9a53-0d4bd2d0c5b1', '8c1f1a4e-3f7e-4a8e-9a53-0d4bd2d0c5b1'],
    [undefined, undefined],
    ['', undefined],
    ['id with spaces', undefined],
    ['x'.repeat(101), undefined],
    ['0a1b2c3d4e5f6a7b', '0a1b2c3d4e5f6a7b'],
    ['p8e-Q3vY:k2Lm9Rt', undefined],
    [`id-${SECRET.slice(0, 12).replace('~', '')}`, undefined],
  ])('x-debug-id %j is quoted as %j', (debugId, quoted) => {
    expect(quotableDebugId(debugId, redactor)).toBe(quoted)
  })
})

describe('disguises of a secret', () => {
  const ALNUM = 'p8eQ3vYk2Lm9Rt7ZpXw4Nc8HqJf5'
  const disguised = new Redactor([ALNUM])
  it.each([
    ['with a zero-width space between its characters', [...ALNUM].join('\u200b')],
    ['with a soft hyphen and a combining mark between its characters', [...ALNUM].join('\u00ad\u0301')],
    ['full-width', ALNUM.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0))],
    ['reversed', [...ALNUM].reverse().join('')],
    ['with every byte percent-encoded', [...ALNUM].map((c) => `%${c.charCodeAt(0).toString(16)}`).join('')],
    ['in pieces of 7 joined by ":"', ALNUM.match(/.{1,7}/g)?.join(':') ?? ''],
    [
      'in pieces of 7 joined by " - ", upper-cased',
      ALNUM.toUpperCase()
        .match(/.{1,7}/g)
        ?.join(' - ') ?? '',
    ],
  ])('blanks a secret %s', (_disguise, echoed) => {
    expect(disguised.quote(`before ${echoed} after`, 200)).toBe('before *** after')
  })

  it('blanks anything shaped like a JWT, whoever it belongs to', () => {
    expect(disguised.quote('see eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0. here', 200)).toBe('see *** here')
  })

  it('quotes text as a reader sees it', () => {
    expect(visibleText('ｉｎｖａｌｉｄ\u200b_client')).toBe('invalid_client')
    expect(disguised.quote('ｎｏ ｓｕｃｈ\u2060 client', 200)).toBe('no such client')
  })
})

describe('quotable IMS values', () => {
  it.each([
    ['invalid_client', 'invalid_client'],
    ['server_error', 'server_error'],
    ['Invalid_Client', undefined],
    ['invalid client', undefined],
    ['p8eQ3vY:k2Lm9Rt', undefined],
    ['invalid_\u200bclient', undefined],
    ['a'.repeat(21), undefined],
  ])('error %j is quoted as %j', (error, quoted) => {
    expect(quotableErrorCode(error, redactor)).toBe(quoted)
  })

  it.each([
    ['bearer', 'bearer'],
    ['Bearer', 'Bearer'],
    [undefined, undefined],
    [42, undefined],
    ['bearer token', undefined],
    ['b\u200bearer', undefined],
    ['ｂｅａｒｅｒ', undefined],
    ['x'.repeat(17), undefined],
  ])('token_type %j is quoted as %j', (tokenType, quoted) => {
    expect(quotableTokenType(tokenType, redactor)).toBe(quoted)
  })
})

describe('the cost of a token-shaped answer', () => {
  it('takes no JWT-shaped value longer than a token for one, and at most 32 KB in all', () => {
    const part = (length: number): string => 'A'.repeat(length)
    expect(tokenLookalikes(`eyJ${part(MIB)}.eyJ${part(100)}.sig`)).toEqual([])
    const tokens = tokenLookalikes(Array.from({ length: 10 }, (_, index) => `eyJ${index}${part(9_000)}.eyJ${part(100)}.sig`).join(' '))
    expect(tokens).toHaveLength(3)
    expect(tokens.join('').length).toBeLessThanOrEqual(32_768)
  })
})

describe('failureOfAnswer on 1 MiB hostile answers', () => {
  const request = {
    url: 'https://ims-na1.adobelogin.com/ims/token/v3',
    operation: 'the request',
    secretFields: ['client_secret'],
    hint: () => undefined,
  }
  const attempt = { sent: { client_secret: SECRET }, sentAt: 0, answeredAt: 0 }
  const failureFor = (status: number, contentType: string, body: string): string =>
    failureOfAnswer({ status, headers: { 'content-type': contentType }, body } satisfies HttpAnswer, request, attempt, ' without a token')
      .message

  it.each([
    ['unclosed <title> tags', 'text/html', `<html>${'<title>'.repeat(MIB / 7)}`, 'an HTML page'],
    ['unclosed <title> tags with attributes', 'text/html', `<html>${'<title a=1 '.repeat(MIB / 11)}`, 'an HTML page'],
    ['one title never closed', 'text/html', `<html><title>${'x'.repeat(MIB)}`, 'an HTML page'],
    ['echoes of the secret', 'text/plain', `${SECRET} `.repeat(MIB / 35), '"*** *** *** '],
    ['an unclosed JSON string', 'application/json', `{"error":"${'\\"'.repeat(MIB / 2)}`, '"{"error":"'],
  ])('reads %s in one pass', (_case, contentType, body, described) => {
    const message = failureFor(502, contentType, body)
    expect(message).toContain(`IMS answered the request with 502 Bad Gateway (${contentType}): ${described}`)
    expect(message.length).toBeLessThan(500)
  })
})

describe('short secrets and token lookalikes at their edges', () => {
  function imsErrorQuoting(secret: string, description: string): string {
    const answer: HttpAnswer = {
      status: 400,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ error: 'invalid_client', error_description: description }),
    }
    const request = {
      url: 'https://ims-na1.adobelogin.com/ims/token/v3',
      operation: 'the token request',
      secretFields: ['client_secret'],
      hint: () => undefined,
    }
    return failureOfAnswer(answer, request, { sent: { client_secret: secret }, sentAt: 0, answeredAt: 0 }, '').message
  }

  it.each(['abcd', 'k9#Qx', 'p4ss-7c'])('blanks a secret of %j (4 to 7 characters) out of what IMS says', (secret) => {
    const message = imsErrorQuoting(secret, `unknown secret ${secret}, nor ${Buffer.from(secret).toString('base64')}`)
    expect(message).toBe('IMS rejected the token request (400 invalid_client): unknown secret ***, nor ***.')
  })

  it('leaves a value of 3 characters alone: it would blank ordinary words', () => {
    expect(imsErrorQuoting('abc', 'unknown abc')).toBe('IMS rejected the token request (400 invalid_client): unknown abc.')
    expect(echoForms('abc')).toEqual([])
  })

  const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJ0eXBlIjoiYWNjZXNzX3Rva2VuIn0.U2lnbmF0dXJlLW9mLXRoZS10b2tlbg'
  it.each([
    ['a JWT glued to token characters before it', `token=abc_DEF-123456789${jwt} `, [jwt]],
    ['a JWT with a fourth dot segment', `${jwt}.fourth-segment`, [jwt]],
    ['a value with an escaped quote inside', '{"access_token":"opaque\\"token-1234"}', ['opaque\\"token-1234', 'opaque"token-1234']],
    ['a value of 8 characters, the shortest masked', '{"access_token":"12345678"}', ['12345678']],
    ['a value of 7 characters', '{"access_token":"1234567"}', []],
  ])('finds the tokens in %s', (_case, text, tokens) => {
    expect(tokenLookalikes(text)).toEqual(tokens)
  })
})
