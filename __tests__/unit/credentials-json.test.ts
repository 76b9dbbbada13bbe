import { describe, expect, it } from '@jest/globals'
import { oauthEntry } from '../../emulator/throwaway-credentials.js'
import { readCredentialsJson } from '../../src/lib/credentials-json.js'

const integration = {
  imsEndpoint: 'ims-na1-stg1.adobelogin.com',
  metascopes: 'ent_aem_cloud_sdk, ent_cloudmgr_sdk',
  technicalAccount: { clientId: 'cm-p1-e2', clientSecret: 'p8e-secret' },
  email: 'ABC@techacct.adobe.com',
  id: 'ABC@techacct.adobe.com',
  org: 'DEF@AdobeOrg',
  privateKey: '-----BEGIN RSA PRIVATE KEY-----\r\nAAAA\r\n-----END RSA PRIVATE KEY-----\r\n',
  publicKey: '-----BEGIN CERTIFICATE-----\r\nBBBB\r\n-----END CERTIFICATE-----\r\n',
}

describe('readCredentialsJson: AEM service credentials', () => {
  it('reads every field of the Developer Console JSON, naming where each came from', () => {
    const fields = readCredentialsJson(JSON.stringify({ ok: true, integration, statusCode: 200 }))
    expect(fields).toEqual({
      shape: 'AEM service credentials',
      encoding: 'json',
      clientId: { value: 'cm-p1-e2', from: 'credentials field integration.technicalAccount.clientId' },
      clientSecret: { value: 'p8e-secret', from: 'credentials field integration.technicalAccount.clientSecret' },
      technicalAccountId: { value: 'ABC@techacct.adobe.com', from: 'credentials field integration.id' },
      orgId: { value: 'DEF@AdobeOrg', from: 'credentials field integration.org' },
      privateKey: { value: integration.privateKey.trim(), from: 'credentials field integration.privateKey' },
      certificate: { value: integration.publicKey.trim(), from: 'credentials field integration.publicKey' },
      metascopes: { value: ['ent_aem_cloud_sdk', 'ent_cloudmgr_sdk'], from: 'credentials field integration.metascopes' },
      imsEndpoint: { value: 'ims-na1-stg1.adobelogin.com', from: 'credentials field integration.imsEndpoint' },
      scopes: undefined,
      secretValues: ['p8e-secret', integration.privateKey.trim()],
    })
  })

  it('reads the integration object on its own', () => {
    const fields = readCredentialsJson(JSON.stringify(integration))
    expect(fields.clientId).toEqual({ value: 'cm-p1-e2', from: 'credentials field technicalAccount.clientId' })
  })

  it('takes metascopes as a list too, and treats empty fields as absent', () => {
    const fields = readCredentialsJson(JSON.stringify({ integration: { ...integration, metascopes: ['a', 'b,c'], org: '', id: null } }))
    expect(fields.metascopes?.value).toEqual(['a', 'b', 'c'])
    expect(fields.orgId).toBeUndefined()
    expect(fields.technicalAccountId).toBeUndefined()
  })

  it.each([
    [
      { ...integration, technicalAccount: { clientId: 42 } },
      'Credentials field integration.technicalAccount.clientId must be a string, not a number.',
    ],
    [{ ...integration, privateKey: ['x'] }, 'Credentials field integration.privateKey must be a string, not a list.'],
    [
      { ...integration, metascopes: [1, 2] },
      'Credentials field integration.metascopes must be a comma-separated string or a list of strings, not a list.',
    ],
  ])('names a field of the wrong type', (bad, message) => {
    expect(() => readCredentialsJson(JSON.stringify({ integration: bad }))).toThrow(message)
  })
})

describe('readCredentialsJson: what it refuses', () => {
  it.each([
    ['[]', 'a list'],
    ['"text"', 'a string'],
    ['42', 'a number'],
    ['null', 'null'],
    ['{"some":"thing"}', 'an object'],
  ])('refuses %s as a shape it does not know', (text, kind) => {
    expect(() => readCredentialsJson(text)).toThrow(`Input credentials is JSON of a shape this action does not know (${kind}).`)
  })

  it('refuses text that is not JSON without repeating it', () => {
    expect(() => readCredentialsJson('{"secret": p8e-abc')).toThrow(
      /^Input credentials is not valid JSON\. Store the JSON file as one secret, compact on one line \(jq -c \. file\.json\), or base64 of it \(base64 -w0 file\.json\)\.$/,
    )
    expect(() => readCredentialsJson('-----BEGIN PRIVATE KEY-----')).toThrow(
      /It looks like a PEM key: pass a key on its own as private-key\./,
    )
  })
})

describe('readCredentialsJson: OAuth Server-to-Server', () => {
  const credential = {
    client_id: 'abc123',
    client_secrets: ['p8e-first', 'p8e-second'],
    technical_account_email: 'x@techacct.adobe.com',
    technical_account_id: 'TA@techacct.adobe.com',
    scopes: ['openid', 'AdobeID'],
  }
  const project = (credentials: unknown[]): string =>
    JSON.stringify({ project: { org: { ims_org_id: 'ORG@AdobeOrg' }, workspace: { details: { credentials } } } })

  it('reads the credential of a project JSON, naming the path of each field', () => {
    const fields = readCredentialsJson(
      project([
        { name: 'apikey', integration_type: 'apikey' },
        { name: 's2s', integration_type: 'oauth_server_to_server', oauth_server_to_server: credential },
      ]),
    )
    expect(fields).toMatchObject({
      shape: 'Developer Console project',
      clientId: { value: 'abc123', from: 'credentials field project.workspace.details.credentials[1].oauth_server_to_server.client_id' },
      clientSecret: {
        value: 'p8e-first',
        from: 'credentials field project.workspace.details.credentials[1].oauth_server_to_server.client_secrets',
      },
      orgId: { value: 'ORG@AdobeOrg', from: 'credentials field project.org.ims_org_id' },
      scopes: { value: ['openid', 'AdobeID'] },
      privateKey: undefined,
      secretValues: ['p8e-first', 'p8e-second'],
    })
  })

  it('reads the aio CLI context and a single client_secret string, never splitting a secret', () => {
    const fields = readCredentialsJson(
      JSON.stringify({ client_id: 'abc123', client_secret: 'p8e-with,comma', scopes: 'openid,AdobeID', ims_org_id: 'ORG@AdobeOrg' }),
    )
    expect(fields.shape).toBe('OAuth Server-to-Server credential')
    expect(fields.clientSecret?.value).toBe('p8e-with,comma')
    expect(fields.scopes?.value).toEqual(['openid', 'AdobeID'])
    expect(fields.orgId?.value).toBe('ORG@AdobeOrg')
  })

  it('refuses a credentials list that is not a list, and secrets that are not strings', () => {
    expect(() => readCredentialsJson(JSON.stringify({ project: { workspace: { details: { credentials: {} } } } }))).toThrow(
      'Credentials field project.workspace.details.credentials must be a list, not an object.',
    )
    expect(() => readCredentialsJson(JSON.stringify({ ...credential, client_secrets: [1] }))).toThrow(
      'Credentials field client_secrets must be a string or a list of strings, not a list.',
    )
  })
})

describe('readCredentialsJson: a Developer Console project without one OAuth credential to take', () => {
  const s2s = (name: string, clientId: string): unknown =>
    oauthEntry(name, { client_id: clientId, client_secrets: [`p8e-${clientId}`], scopes: ['openid'] })
  // Only what the reader needs, without the org projectJson always has.
  const projectOf = (credentials: unknown): string => JSON.stringify({ project: { workspace: { details: { credentials } } } })

  it.each([
    [
      'no credentials list',
      JSON.stringify({ project: { workspace: {} } }),
      "Input credentials is a Developer Console project JSON without an OAuth Server-to-Server credential: it holds no credentials at all. Add an OAuth Server-to-Server credential to the project's workspace and download the JSON again.",
    ],
    [
      'only credentials of other kinds, named, numbered or of no stated kind',
      projectOf([
        { name: 'Key', integration_type: 'apikey' },
        { integration_type: 'service_account_integration', jwt: { client_id: 'cm-jwt' } },
        'not an object',
      ]),
      'Input credentials is a Developer Console project JSON without an OAuth Server-to-Server credential: it holds only "Key" (apikey), "#2" (service_account_integration, client id cm-jwt), "#3" (unknown type). Add an OAuth Server-to-Server credential to the project\'s workspace and download the JSON again.',
    ],
  ])('refuses %s, saying what it holds', (_case, text, message) => {
    expect(() => readCredentialsJson(text)).toThrow(new Error(message))
  })

  it('asks for client-id when it holds several OAuth credentials, and takes the one it names', () => {
    const text = projectOf([s2s('First', 'cm-a'), s2s('Second', 'cm-b')])
    const message =
      'Input credentials is a Developer Console project JSON with 2 OAuth Server-to-Server credentials: "First" (oauth_server_to_server, client id cm-a), "Second" (oauth_server_to_server, client id cm-b). Set client-id to the one to use.'
    expect(() => readCredentialsJson(text)).toThrow(new Error(message))
    expect(() => readCredentialsJson(text, 'cm-c')).toThrow(new Error(message))
    expect(readCredentialsJson(text, 'cm-b')).toMatchObject({
      clientId: { value: 'cm-b', from: 'credentials field project.workspace.details.credentials[1].oauth_server_to_server.client_id' },
      clientSecret: { value: 'p8e-cm-b' },
      secretValues: ['p8e-cm-b'],
    })
  })

  it('takes its one OAuth credential whatever client-id says, and reads no org when the project names none', () => {
    const fields = readCredentialsJson(projectOf([s2s('Only', 'cm-a')]), 'cm-other')
    expect(fields).toMatchObject({ clientId: { value: 'cm-a' }, orgId: undefined })
  })
})

describe('readCredentialsJson: edges of the fields', () => {
  it('trims string fields, and takes a secret list of blanks as no secret', () => {
    const fields = readCredentialsJson(JSON.stringify({ client_id: '  abc123  ', client_secrets: [' ', ''], scopes: [] }))
    expect(fields).toMatchObject({ clientId: { value: 'abc123' }, clientSecret: undefined, scopes: undefined, secretValues: [] })
  })

  it('reads an integration field that is not an object as the root: AEM service credentials without the wrapper', () => {
    const fields = readCredentialsJson(JSON.stringify({ ...integration, integration: 'x' }))
    expect(fields.clientId).toEqual({ value: 'cm-p1-e2', from: 'credentials field technicalAccount.clientId' })
  })

  it('names every shape it accepts when it knows none', () => {
    expect(() => readCredentialsJson('{"client_id": "abc123"}')).toThrow(
      new Error(
        'Input credentials is JSON of a shape this action does not know (an object). It accepts the AEM Developer Console service credentials JSON ({"integration": {"technicalAccount": ...}}); the Adobe Developer Console project JSON ({"project": {"workspace": ...}}) with an OAuth Server-to-Server credential; an OAuth Server-to-Server credential on its own, or the aio CLI\'s ({"client_id", "client_secrets", "scopes", ...}).',
      ),
    )
  })

  it.each([
    [
      'a secret that is an object',
      { client_id: 'abc123', client_secrets: { a: 1 } },
      'Credentials field client_secrets must be a string or a list of strings, not an object.',
    ],
    [
      'a secret that is a number',
      { client_id: 'abc123', client_secret: 7 },
      'Credentials field client_secret must be a string or a list of strings, not a number.',
    ],
    [
      'scopes that are a boolean',
      { client_id: 'abc123', client_secret: 's', scopes: true },
      'Credentials field scopes must be a comma-separated string or a list of strings, not a boolean.',
    ],
  ])('names %s and its type', (_case, json, message) => {
    expect(() => readCredentialsJson(JSON.stringify(json))).toThrow(new Error(message))
  })
})

describe('readCredentialsJson: the survivors of its mutation run', () => {
  it('takes absent or null scopes as none, and secrets from client_secret when client_secrets holds only blanks or is null', () => {
    for (const secrets of [[' '], null])
      expect(
        readCredentialsJson(JSON.stringify({ client_id: 'abc123', client_secrets: secrets, client_secret: 'p8e-one', scopes: null })),
      ).toMatchObject({
        clientSecret: { value: 'p8e-one', from: 'credentials field client_secret' },
        scopes: undefined,
        secretValues: ['p8e-one'],
      })
    expect(readCredentialsJson(JSON.stringify({ client_id: 'abc123', client_secret: 'p8e-one' })).scopes).toBeUndefined()
  })

  it('refuses a secret list with anything but strings in it', () => {
    expect(() => readCredentialsJson(JSON.stringify({ client_id: 'abc123', client_secrets: ['p8e-one', 2] }))).toThrow(
      new Error('Credentials field client_secrets must be a string or a list of strings, not a list.'),
    )
  })

  it('reads the technical account id of the aio CLI context', () => {
    expect(
      readCredentialsJson(JSON.stringify({ client_id: 'abc123', client_secret: 's', technical_account_id: 'TA@techacct.adobe.com' }))
        .technicalAccountId,
    ).toEqual({ value: 'TA@techacct.adobe.com', from: 'credentials field technical_account_id' })
  })

  it('lists only the secrets AEM service credentials hold', () => {
    const withoutKey = { ...integration, privateKey: null }
    expect(readCredentialsJson(JSON.stringify({ integration: withoutKey })).secretValues).toEqual(['p8e-secret'])
    const withoutSecret = { ...integration, technicalAccount: { clientId: 'cm-p1-e2' } }
    expect(readCredentialsJson(JSON.stringify({ integration: withoutSecret })).secretValues).toEqual([integration.privateKey.trim()])
  })

  it.each([
    ['a client secret without a client id', '{"client_secret": "p8e-one"}'],
    ['a project without a workspace', '{"project": {"org": {}}}'],
  ])('takes %s for no shape it knows', (_case, text) => {
    expect(() => readCredentialsJson(text)).toThrow(/^Input credentials is JSON of a shape this action does not know \(an object\)\./)
  })

  it('tells broken JSON with space before it from text that is neither JSON nor base64', () => {
    expect(() => readCredentialsJson('  {"secret": p8e-abc')).toThrow(/^Input credentials is not valid JSON\. /)
    expect(() => readCredentialsJson('p8e-abc{x')).toThrow(/^Input credentials is neither JSON nor base64 of JSON\. /)
  })
})
