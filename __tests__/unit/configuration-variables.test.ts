import { describe, expect, it } from '@jest/globals'
import { exportEnvRefusal, exportEnvRuleText, OWNED_PREFIXES } from '../../src/lib/configuration-variables.js'
import { REVIEWED_CONFIGURATION_NAMES } from '../support/fixtures.js'

describe('exportEnvRefusal', () => {
  it.each(['IMS_ACCESS_TOKEN', 'AEM_ACCESS_TOKEN', 'IMS_TOKEN', 'ims_access_token', 'MY_NODE_TOKEN', 'ENVIRONMENT_TOKEN', 'X_TOKEN'])(
    'accepts %s: a name of the accepted shape, outside every owned prefix',
    (variable) => {
      expect(exportEnvRefusal(variable)).toBeUndefined()
    },
  )

  // Names tools read as configuration, and near misses of the shape: no deny-list is needed for either.
  it.each([...REVIEWED_CONFIGURATION_NAMES, 'TOKEN', '_TOKEN', 'IMS_TOKEN_', 'IMS-TOKEN', 'IMS_TOKENS'])(
    'refuses %s by its shape',
    (variable) => {
      expect(exportEnvRefusal(variable)).toMatch(/^Input export-env must be a name that ends in _TOKEN /)
    },
  )

  it.each([
    ['GITHUB_TOKEN', 'GITHUB_'],
    ['GH_TOKEN', 'GH_'],
    ['ACTIONS_RUNTIME_TOKEN', 'ACTIONS_'],
    ['NODE_AUTH_TOKEN', 'NODE_'],
    ['npm_config__auth_TOKEN', 'NPM_'],
    ['AWS_SESSION_TOKEN', 'AWS_'],
    ['VAULT_TOKEN', 'VAULT_'],
    ['TF_TOKEN_app_terraform_io_TOKEN', 'TF_'],
    ['KUBE_TOKEN', 'KUBE'],
  ])('refuses %s, under %s, which a tool owns', (variable, prefix) => {
    expect(exportEnvRefusal(variable)).toMatch(new RegExp(`^Input export-env names a variable under ${prefix} \\(read by `))
  })

  it('states the rule and every prefix once for the input’s description', () => {
    const prefixes = OWNED_PREFIXES.flatMap((owner) => owner.prefixes)
    expect(new Set(prefixes).size).toBe(prefixes.length)
    for (const prefix of prefixes) expect(exportEnvRuleText()).toContain(`\`${prefix}\``)
    expect(exportEnvRuleText()).toContain('`_TOKEN`')
  })
})
