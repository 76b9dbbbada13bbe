import { describe, expect, it } from '@jest/globals'
import { readCredentialsJson } from '../../src/lib/credentials-json.js'
import { makeOAuthCredential, makeServiceCredentials } from '../../emulator/throwaway-credentials.js'

const service = await makeServiceCredentials()
const oauth = makeOAuthCredential()

/** The encodings people produce: `base64 -w0`, `base64` (wrapped at 76), URL-safe without padding. */
function encodings(json: string): Record<string, string> {
  const standard = Buffer.from(json, 'utf8').toString('base64')
  return {
    'standard, one line': standard,
    'standard, wrapped at 76 with CRLF': (standard.match(/.{1,76}/g) ?? []).join('\r\n'),
    'URL-safe without padding': Buffer.from(json, 'utf8').toString('base64url'),
    'with a byte-order mark and a trailing newline': `${Buffer.from(`\uFEFF${json}`, 'utf8').toString('base64')}\n`,
  }
}

describe('readCredentialsJson: base64 of an accepted JSON', () => {
  for (const [shape, json] of [
    ['AEM service credentials', service.json],
    ['Developer Console project', oauth.projectJson],
    ['OAuth Server-to-Server credential', oauth.aioJson],
  ] as const) {
    for (const [encoding, text] of Object.entries(encodings(json))) {
      it(`reads ${shape} given as ${encoding}, the same as the JSON, and lists the base64 text as secret`, () => {
        const fromJson = readCredentialsJson(json)
        const fromBase64 = readCredentialsJson(text)
        expect(fromBase64).toEqual({
          ...fromJson,
          shape: `base64 of ${fromJson.shape}`,
          encoding: 'base64',
          secretValues: [text.trim(), ...fromJson.secretValues],
        })
      })
    }
  }

  it('gives a clear error, naming both forms and repeating nothing, when neither parses', () => {
    const secret = service.integration.clientSecret
    for (const text of [`client_secret: ${secret}`, `${secret}!`]) {
      expect(() => readCredentialsJson(text)).toThrow(
        'Input credentials is neither JSON nor base64 of JSON. Store the JSON file as one secret, compact on one line (jq -c . file.json), or base64 of it (base64 -w0 file.json).',
      )
    }
    const notJson = Buffer.from(`{"clientSecret": ${secret}`).toString('base64')
    expect(() => readCredentialsJson(notJson)).toThrow(/^Input credentials looks like base64, but what it decodes to is not JSON\. Store/)
    const list = Buffer.from('[1, 2]').toString('base64')
    expect(() => readCredentialsJson(list)).toThrow(/^Input credentials is base64 of JSON of a shape this action does not know \(a list\)/)
  })

  it('still reads plain JSON values as JSON, however they look', () => {
    expect(() => readCredentialsJson('42')).toThrow('Input credentials is JSON of a shape this action does not know (a number).')
    expect(() => readCredentialsJson('null')).toThrow('Input credentials is JSON of a shape this action does not know (null).')
  })
})
