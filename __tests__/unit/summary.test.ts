import { generateKeyPairSync } from 'node:crypto'
import { describe, expect, it } from '@jest/globals'
import { INPUT_NAMES, type InputName, type RawInputs } from '../../src/lib/action-inputs.js'
import type { ImsToken } from '../../src/lib/ims-request.js'
import { type Plan, planFromInputs } from '../../src/lib/plan.js'
import {
  durationText,
  endOfJobText,
  grantedScopes,
  htmlEscaped,
  postSummaryLine,
  summaryRows,
  summaryTitle,
} from '../../src/lib/summary.js'
import { RecordingReporter } from '../support/recording-reporter.js'

const jwt = (payload: unknown): string => `e30.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.sig`

describe('grantedScopes', () => {
  it('reads the scope claim of a JWT access token', () => {
    expect(grantedScopes(jwt({ scope: 'openid,AdobeID' }))).toBe('openid, AdobeID')
  })

  it.each([
    ['an opaque token', 'abc'],
    ['a JWT without scope', jwt({ client_id: 'x' })],
    ['a payload that is not JSON', 'a.b.c'],
    ['a scope that is not a string', jwt({ scope: ['a'] })],
    ['a scope that is not a string but has a length', jwt({ scope: 5 })],
    ['an empty scope', jwt({ scope: '' })],
    ['a payload that is JSON null', `e30.${Buffer.from('null').toString('base64url')}.sig`],
  ])('gives nothing for %s', (_case, token) => {
    expect(grantedScopes(token)).toBeUndefined()
  })
})

describe('htmlEscaped', () => {
  it('escapes the five characters that matter in HTML text and attributes', () => {
    expect(htmlEscaped(`<img src=x onerror="a('b')"> & </table>`)).toBe(
      '&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt; &amp; &lt;/table&gt;',
    )
    expect(htmlEscaped('openid, AdobeID')).toBe('openid, AdobeID')
  })

  it('writes the Markdown characters as numeric entities, so no link, image, code or table starts', () => {
    expect(htmlEscaped('![x](y) [a]: `b` *c* ~d~ |e| \\f #g')).toBe(
      '&#33;&#91;x&#93;(y) &#91;a&#93;: &#96;b&#96; &#42;c&#42; &#126;d&#126; &#124;e&#124; &#92;f &#35;g',
    )
  })

  it('keeps the cell on one line: line breaks, tabs and control characters become one space', () => {
    expect(htmlEscaped('a\r\n\r\nb\t\u0000c\u0085d')).toBe('a b c d')
  })
})

describe('durationText', () => {
  it.each([
    [0, '0 s'],
    [119, '119 s'],
    [120, '2 min'],
    [3599, '60 min'],
    [7199, '120 min'],
    [7200, '2 h'],
    [86399, '24 h'],
  ])('reads %i seconds as %s', (seconds, text) => {
    expect(durationText(seconds)).toBe(text)
  })
})

describe('summaryTitle and the step part of postSummaryLine', () => {
  it.each([
    ['a step with an id', 'ims', 'step ims, '],
    ['a step without an id (the runner names it __run_2)', '__run_2', ''],
    ['no GITHUB_ACTION', undefined, ''],
    ['an empty GITHUB_ACTION', '', ''],
    ['an id that only ends in underscores', 'ims__', 'step ims__, '],
  ])('names %s as the step', (_case, stepId, stepPart) => {
    expect(summaryTitle('cm-p1-e2', stepId)).toBe(`Adobe IMS access token (${stepPart}client cm-p1-e2)`)
    expect(postSummaryLine({ invalidatedAt: '2026-11-28T10:00:00Z' }, '2026-11-29T10:00:00Z', stepId)).toBe(
      `<p><strong>Adobe IMS access token (${stepPart}expiring at 2026-11-29T10:00:00Z)</strong>: invalidated at IMS by the post step at 2026-11-28T10:00:00Z.</p>\n`,
    )
  })
})

describe('endOfJobText', () => {
  it('says the post step will invalidate the token, or that it stays valid and which input says so', () => {
    expect(endOfJobText(true)).toBe(
      'To be invalidated at IMS by the post step when the job ends; its result is added at the end of the summary',
    )
    expect(endOfJobText(false)).toBe('Stays valid until it expires (invalidate-token: false)')
  })
})

describe('postSummaryLine', () => {
  it('escapes what IMS may have said in the reason', () => {
    expect(postSummaryLine({ failure: 'IMS said <b>no</b> & more.' }, '2026-11-29T10:00:00Z', 'ims')).toBe(
      '<p><strong>Adobe IMS access token (step ims, expiring at 2026-11-29T10:00:00Z)</strong>: <strong>not invalidated</strong>. IMS said &lt;b&gt;no&lt;/b&gt; &amp; more.</p>\n',
    )
  })
})

describe('summaryRows', () => {
  const privateKeyPem = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString()
  const given = {
    oauth: { 'client-id': 'cm-oauth-1', 'client-secret': 'p8e-oauth-secret', scopes: 'openid, AdobeID' },
    jwt: {
      'client-id': 'cm-p1-e2',
      'client-secret': 'p8e-jwt-secret',
      'technical-account-id': 'ABC@techacct.adobe.com',
      'org-id': 'DEF@AdobeOrg',
      'private-key': privateKeyPem,
      metascopes: 'ent_aem_cloud_api, ent_cloudmgr_sdk',
    },
  }
  const planOf = (inputs: Partial<Record<InputName, string>>): Plan =>
    planFromInputs(
      Object.fromEntries(INPUT_NAMES.map((name) => [name, inputs[name] ?? ''])) as RawInputs,
      new RecordingReporter(),
      Date.UTC(2026, 10, 26),
    )
  const token = (accessToken: string): ImsToken => ({
    accessToken,
    tokenType: 'bearer',
    expiresInSeconds: 86_399,
    expiresAt: new Date(Date.UTC(2026, 10, 27)),
    attempts: 2,
  })

  it.each([
    ['OAuth', given.oauth, 'openid, AdobeID'],
    ['the JWT flow', given.jwt, 'ent_aem_cloud_api, ent_cloudmgr_sdk'],
  ])('shows the scopes %s asked for when the token does not say which it carries', (_flow, inputs, scopes) => {
    const rows = summaryRows(planOf(inputs), token('an-opaque-token'), '2026-11-27T00:00:00Z')
    expect(rows).toContainEqual(['Scopes requested', scopes])
    expect(rows.map(([item]) => item)).not.toContain('Scopes granted')
  })

  it('shows the scopes a JWT token carries, and the rest of what was asked and what came back', () => {
    const rows = summaryRows(planOf(given.oauth), token(jwt({ scope: 'openid' })), '2026-11-27T00:00:00Z')
    expect(rows).toEqual([
      ['Flow', expect.any(String)],
      ['Client id', 'cm-oauth-1'],
      ['Organization', 'not given'],
      ['Scopes granted', 'openid'],
      ['IMS', 'https://ims-na1.adobelogin.com'],
      ['Expires at', '2026-11-27T00:00:00Z (in 24 h)'],
      ['Attempts', '2'],
      ['After the job', expect.any(String)],
    ])
  })
})
