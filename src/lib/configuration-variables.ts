/**
 * Environment variables the runner or a common tool reads as configuration. `export-env` refuses them:
 * the token exported under such a name would change how every later step of the job runs (a shell
 * sourcing it through BASH_ENV, a loader preloading it through LD_PRELOAD, a proxy, a CA, a compiler
 * flag). One table, by family; action.yml, the README and the error are written from it.
 */

interface ConfigurationFamily {
  /** Who reads these names, to end "read by ...". */
  readonly readBy: string
  /** Names in the family, case-insensitive: `*` stands for any rest of the name, `[A-Z]*` for letters only. */
  readonly names: readonly string[]
}

export const CONFIGURATION_FAMILIES: readonly ConfigurationFamily[] = [
  { readBy: 'the runner and actions', names: ['GITHUB_*', 'RUNNER_*', 'ACTIONS_*', 'INPUT_*', 'STATE_*', 'CI'] },
  {
    readBy: 'shells, as they start or run commands',
    names: [
      'BASH_*',
      'BASHOPTS',
      'SHELLOPTS',
      'ENV',
      'PS[1-4]',
      'PROMPT_COMMAND',
      'IFS',
      'CDPATH',
      'GLOBIGNORE',
      'ZDOTDIR',
      'ZSH_*',
      'FPATH',
    ],
  },
  { readBy: 'the dynamic loader', names: ['LD_*', 'DYLD_*'] },
  {
    readBy: 'the operating system and most programs',
    names: [
      'PATH',
      'HOME',
      'USER',
      'USERNAME',
      'LOGNAME',
      'SHELL',
      'TMPDIR',
      'TEMP',
      'TMP',
      'LANG',
      'LANGUAGE',
      'LC_*',
      'TZ',
      'TERM',
      'PWD',
      'COMSPEC',
      'PATHEXT',
      'SYSTEMROOT',
      'SYSTEMDRIVE',
      'WINDIR',
      'USERPROFILE',
      'APPDATA',
      'LOCALAPPDATA',
      'PROGRAMDATA',
      'PSModulePath',
    ],
  },
  {
    readBy: 'HTTP clients, for proxies and TLS',
    names: ['*_PROXY', 'SSL_*', 'CURL_*', 'OPENSSL_*', 'REQUESTS_CA_BUNDLE', 'WGETRC'],
  },
  {
    readBy: 'a language runtime or package manager',
    names: [
      'NODE_*',
      'NPM_*',
      'YARN_*',
      'COREPACK_*',
      'PNPM_*',
      'JAVA_*',
      '_JAVA_OPTIONS',
      'JDK_*',
      'CLASSPATH',
      'MAVEN_*',
      'GRADLE_*',
      'PYTHON*',
      'PIP_*',
      'PERL*',
      'RUBY*',
      'GEM_*',
      'BUNDLE_*',
      'DOTNET_*',
      'COMPLUS_*',
      'CORECLR_*',
      'NUGET_*',
      'GO[A-Z]*',
      'CARGO_*',
      'RUST*',
    ],
  },
  { readBy: 'git, SSH or GnuPG', names: ['GIT_*', 'SSH_*', 'GNUPGHOME'] },
  { readBy: 'Docker', names: ['DOCKER_*'] },
  { readBy: 'programs, to find their configuration', names: ['XDG_*'] },
  { readBy: 'tools, as a command to run or as options', names: ['EDITOR', 'VISUAL', 'PAGER', 'BROWSER', 'LESS*'] },
]

/** `LD_*` → /^LD_.*$/i; `GO[A-Z]*` → /^GO[A-Z]*$/i (a `*` after a class repeats the class). */
function patternOf(name: string): RegExp {
  return new RegExp(`^${name.replace(/(?<!\])\*/g, '.*')}$`, 'i')
}

const FAMILY_PATTERNS = CONFIGURATION_FAMILIES.flatMap(({ readBy, names }) =>
  names.map((name) => ({ name, readBy, pattern: patternOf(name) })),
)

/** The family `variable` belongs to (such as `LD_*`) and who reads it; undefined for a name no one reads. */
export function configurationFamilyOf(variable: string): { readonly name: string; readonly readBy: string } | undefined {
  const family = FAMILY_PATTERNS.find(({ pattern }) => pattern.test(variable))
  return family && { name: family.name, readBy: family.readBy }
}

/** Every family, for action.yml and the README: `GITHUB_*`, `RUNNER_*`, …. */
export function configurationFamiliesText(): string {
  return CONFIGURATION_FAMILIES.flatMap(({ names }) => names.map((name) => `\`${name}\``)).join(', ')
}
