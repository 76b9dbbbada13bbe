import { describe, expect, it } from '@jest/globals'
import { InputError } from '../../src/lib/errors.js'
import {
  booleanOf,
  clientIdOf,
  clientSecretOf,
  exportEnvNameOf,
  metascopesOf,
  orgIdOf,
  scopesOf,
  technicalAccountIdOf,
  wholeNumberOf,
} from '../../src/lib/input-checks.js'

const from = 'input the-input'

describe('the form of credential values', () => {
  it.each([
    ['a client id', clientIdOf, 'cm-p123-e1234', 'cm p123'],
    ['a client secret', clientSecretOf, 'p8e-AbC_123', 'p8e has spaces'],
    ['a technical account id', technicalAccountIdOf, 'ABC123@techacct.adobe.com', 'ABC123@AdobeOrg'],
    ['an org id', orgIdOf, 'DEF456@AdobeOrg', 'DEF456@techacct.adobe.com'],
  ])('%s: takes a good value as it is, refuses a swapped one naming where it came from and not repeating it', (_kind, check, good, bad) => {
    expect(check({ value: good, from })).toBe(good)
    expect(() => check({ value: bad, from })).toThrow(InputError)
    expect(() => check({ value: bad, from })).toThrow(/^Input the-input does not look like .+\. Check that the right value is passed\.$/)
    expect(() => check({ value: bad, from })).not.toThrow(bad)
  })

  it('takes metascopes as short names or full metascope URLs', () => {
    const metascopes = ['ent_aem_cloud_api', 'https://ims-na1.adobelogin.com/s/ent_cloudmgr_sdk']
    expect(metascopesOf({ value: metascopes, from })).toEqual(metascopes)
    expect(() => metascopesOf({ value: ['ent_aem_cloud_api', 'not a metascope'], from })).toThrow(
      'Input the-input does not look like a list of metascopes',
    )
  })

  it.each([
    ['a technical account id', technicalAccountIdOf, ['x ABC@techacct.adobe.com', 'ABC@techacct.adobe.com.example']],
    ['an org id', orgIdOf, ['x DEF@AdobeOrg', 'DEF@AdobeOrg.example']],
  ])('%s: the whole value must have the shape, not a part of it', (_kind, check, bad) => {
    for (const value of bad) expect(() => check({ value, from })).toThrow(InputError)
  })

  it('takes the metascope URL of a local IMS, with its port, as the emulator names it', () => {
    const metascopes = ['http://127.0.0.1:8181/s/ent_aem_cloud_api', 'https://localhost:44321/s/ent_cloudmgr_sdk']
    expect(metascopesOf({ value: metascopes, from })).toEqual(metascopes)
    expect(() => metascopesOf({ value: ['https://127.0.0.1:x/s/ent_aem_cloud_api'], from })).toThrow(InputError)
  })

  it('takes OAuth scopes with dots and colons, refuses spaces', () => {
    const scopes = ['openid', 'AdobeID', 'additional_info.projectedProductContext', 'read:org']
    expect(scopesOf({ value: scopes, from })).toEqual(scopes)
    expect(() => scopesOf({ value: ['openid AdobeID'], from })).toThrow('Input the-input does not look like a list of OAuth scopes')
  })
})

describe('exportEnvNameOf', () => {
  it('gives nothing for an empty value and the name for a good one', () => {
    expect(exportEnvNameOf('')).toBeUndefined()
    expect(exportEnvNameOf('IMS_ACCESS_TOKEN')).toBe('IMS_ACCESS_TOKEN')
  })

  it.each(['1_TOKEN', 'IMS-TOKEN', `${'A'.repeat(101)}_TOKEN`, 'runner_temp', 'BASH_ENV', 'path', 'NODE_OPTIONS'])(
    'refuses %s, which does not end in _TOKEN',
    (name) => {
      expect(() => exportEnvNameOf(name)).toThrow(/^Input export-env must be a name that ends in _TOKEN /)
    },
  )

  it.each([
    ['GITHUB_TOKEN', 'GITHUB_ (read by the runner and actions)'],
    ['node_auth_token', 'NODE_ (read by a language runtime or package manager)'],
  ])('refuses %s, naming the prefix a tool owns', (name, owner) => {
    expect(() => exportEnvNameOf(name)).toThrow(
      `Input export-env names a variable under ${owner}: the token there would change how later steps run. Choose another name that ends in _TOKEN, such as IMS_ACCESS_TOKEN or AEM_ACCESS_TOKEN.`,
    )
  })
})

describe('wholeNumberOf', () => {
  it('gives the default for an empty value, and numbers within the range', () => {
    expect(wholeNumberOf('', 'max-attempts', 3, 1, 10)).toBe(3)
    expect(wholeNumberOf('1', 'max-attempts', 3, 1, 10)).toBe(1)
    expect(wholeNumberOf('10', 'max-attempts', 3, 1, 10)).toBe(10)
  })

  it.each(['0', '11', '-1', '1.5', '3 ', 'three', '1e1', '9999999'])('refuses %j, saying the range and the default', (value) => {
    expect(() => wholeNumberOf(value, 'max-attempts', 3, 1, 10)).toThrow(
      new InputError('Input max-attempts must be a whole number from 1 to 10 (default 3).'),
    )
  })
})

describe('booleanOf', () => {
  it.each([
    ['', true],
    ['true', true],
    ['True', true],
    ['TRUE', true],
    ['false', false],
    ['False', false],
    ['FALSE', false],
  ])('reads %j as %s (default true)', (value, expected) => {
    expect(booleanOf(value, 'summary', true)).toBe(expected)
  })

  it.each(['yes', 'no', '1', 'tRuE'])('refuses %j, as the runner would', (value) => {
    expect(() => booleanOf(value, 'summary', true)).toThrow(new InputError('Input summary must be true or false (default true).'))
  })
})
