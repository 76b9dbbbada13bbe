/**
 * The emulator's token lifecycle endpoints answer as IMS does (docs/ims-protocol.md): a token is
 * invalidated only by the client it was issued to, with that client's secret, and is reported invalid
 * by /ims/validate_token/v1 from then on.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { ImsEmulator } from '../../emulator/ims-emulator.js'
import { makeOAuthCredential } from '../../emulator/throwaway-credentials.js'

const ours = makeOAuthCredential()
const theirs = makeOAuthCredential()
let emulator: ImsEmulator

beforeAll(async () => {
  emulator = await ImsEmulator.start({ oauthClients: [ours.client, theirs.client] })
})
afterAll(() => emulator.close())

async function post(path: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  const response = await fetch(`${emulator.origin}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
  })
  const text = await response.text()
  return { status: response.status, text, json: text === '' ? undefined : (JSON.parse(text) as Record<string, unknown>) }
}

async function tokenFor(credential: typeof ours): Promise<string> {
  const { client } = credential
  const answer = await post('/ims/token/v3', {
    grant_type: 'client_credentials',
    client_id: client.clientId,
    client_secret: client.clientSecret,
    scope: client.scopes.join(','),
  })
  return String(answer.json?.['access_token'])
}

const validate = (token: string, clientId = ours.client.clientId) =>
  post('/ims/validate_token/v1', { type: 'access_token', client_id: clientId }, { authorization: `Bearer ${token}` })

const invalidate = (token: string, client = ours.client, overrides: Record<string, string> = {}) =>
  post('/ims/invalidate_token/v2', {
    token_type: 'access_token',
    token,
    client_id: client.clientId,
    client_secret: client.clientSecret,
    ...overrides,
  })

describe('the IMS emulator: invalidating and validating a token', () => {
  it('reports a fresh token as valid, and as invalid after its client invalidated it', async () => {
    const token = await tokenFor(ours)
    expect((await validate(token)).json).toEqual({ valid: true })
    const answer = await invalidate(token)
    expect(answer).toEqual({ status: 200, text: '', json: undefined })
    expect((await validate(token)).json).toEqual({ valid: false, reason: 'invalidated' })
  })

  it('refuses a wrong client secret, another client, and a wrong token type, and the token stays valid', async () => {
    const token = await tokenFor(ours)
    expect((await invalidate(token, ours.client, { client_secret: theirs.client.clientSecret })).json).toEqual({
      error: 'invalid_client',
      error_description: 'invalid client_secret parameter',
    })
    expect((await invalidate(token, theirs.client)).json).toEqual({
      error: 'invalid_token',
      error_description: 'token was not issued to this client',
    })
    expect((await invalidate(token, ours.client, { token_type: 'refresh_token' })).status).toBe(400)
    expect((await invalidate(token, { clientId: 'nobody', clientSecret: 'x', scopes: [] })).status).toBe(400)
    expect((await validate(token)).json).toEqual({ valid: true })
  })

  it('reports tokens it never issued, or issued to another client, as invalid', async () => {
    expect((await validate('eyJhbGciOiJub25lIn0.e30.')).json).toEqual({ valid: false, reason: 'bad_signature' })
    expect((await validate(await tokenFor(theirs))).json).toEqual({ valid: false, reason: 'client_id_mismatch' })
    expect((await post('/ims/validate_token/v1', { type: 'access_token', client_id: ours.client.clientId })).status).toBe(400)
  })
})
