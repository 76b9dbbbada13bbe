import { describe, expect, it } from '@jest/globals'
import { CONFIGURATION_FAMILIES, configurationFamiliesText, configurationFamilyOf } from '../../src/lib/configuration-variables.js'

describe('configurationFamilyOf', () => {
  it.each([
    // The names the security review found accepted, and their families.
    ['BASH_ENV', 'BASH_*'],
    ['BASH_FUNC_x%%', 'BASH_*'],
    ['ENV', 'ENV'],
    ['LD_PRELOAD', 'LD_*'],
    ['ld_library_path', 'LD_*'],
    ['DYLD_INSERT_LIBRARIES', 'DYLD_*'],
    ['NODE_TLS_REJECT_UNAUTHORIZED', 'NODE_*'],
    ['NODE_EXTRA_CA_CERTS', 'NODE_*'],
    ['HTTPS_PROXY', '*_PROXY'],
    ['no_proxy', '*_PROXY'],
    ['GIT_SSH_COMMAND', 'GIT_*'],
    ['JAVA_TOOL_OPTIONS', 'JAVA_*'],
    ['_JAVA_OPTIONS', '_JAVA_OPTIONS'],
    ['PYTHONSTARTUP', 'PYTHON*'],
    ['PERL5OPT', 'PERL*'],
    ['PROMPT_COMMAND', 'PROMPT_COMMAND'],
    ['IFS', 'IFS'],
    ['PS4', 'PS[1-4]'],
    ['GOFLAGS', 'GO[A-Z]*'],
    ['npm_config_registry', 'NPM_*'],
    ['PSModulePath', 'PSModulePath'],
    ['ComSpec', 'COMSPEC'],
    ['GITHUB_TOKEN', 'GITHUB_*'],
    ['CI', 'CI'],
    ['LESSOPEN', 'LESS*'],
    ['XDG_CONFIG_HOME', 'XDG_*'],
  ])('puts %s in the family %s', (variable, family) => {
    expect(configurationFamilyOf(variable)?.name).toBe(family)
  })

  it.each(['IMS_ACCESS_TOKEN', 'AEM_TOKEN', 'GOOGLE_TOKEN', 'PS5', 'CIRCLE', 'MY_NODE_TOKEN', 'ENVIRONMENT_TOKEN', 'TOKEN'])(
    'lets %s through: no runner or common tool reads it',
    (variable) => {
      expect(configurationFamilyOf(variable)).toBeUndefined()
    },
  )

  it('lists every family once, in the table’s order', () => {
    const names = CONFIGURATION_FAMILIES.flatMap((family) => family.names)
    expect(new Set(names).size).toBe(names.length)
    expect(configurationFamiliesText()).toBe(names.map((name) => `\`${name}\``).join(', '))
  })
})
