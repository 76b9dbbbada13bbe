/**
 * Which names `export-env` accepts. A deny-list of the names tools read as configuration always misses
 * some (MAKEFLAGS, GLIBC_TUNABLES, KUBECONFIG, ...), so the rule is a shape: a name that says it holds a
 * token, ending in `_TOKEN`. Tools and the runner read some such names too (GITHUB_TOKEN, NODE_AUTH_TOKEN,
 * AWS_SESSION_TOKEN, VAULT_TOKEN): a name under a prefix they own is refused. One table; action.yml, the
 * README and the error are written from it.
 */

/** The shape of an accepted name: letters, digits and `_`, ending in `_TOKEN`, in any case. */
const EXPORT_ENV_SHAPE = /^[A-Za-z][A-Za-z0-9_]{0,93}_TOKEN$/i

/** The shape in words, for the input's description and the errors. */
const SHAPE_TEXT = 'a name that ends in _TOKEN (letters, digits and _, starting with a letter)'

interface OwnedPrefixes {
  /** Who reads names under these prefixes, to end "read by ...". */
  readonly readBy: string
  readonly prefixes: readonly string[]
}

/** Prefixes of names the runner or a common tool reads (compared in any case), `_TOKEN` names included. */
export const OWNED_PREFIXES: readonly OwnedPrefixes[] = [
  { readBy: 'the runner and actions', prefixes: ['GITHUB_', 'GH_', 'RUNNER_', 'ACTIONS_', 'INPUT_', 'STATE_', 'CI_'] },
  { readBy: 'shells and the dynamic loader', prefixes: ['BASH_', 'ZSH_', 'LD_', 'DYLD_'] },
  {
    readBy: 'a language runtime or package manager',
    prefixes: [
      'NODE_',
      'NPM_',
      'YARN_',
      'PNPM_',
      'COREPACK_',
      'PIP_',
      'PYPI_',
      'TWINE_',
      'POETRY_',
      'UV_',
      'GEM_',
      'BUNDLE_',
      'CARGO_',
      'NUGET_',
      'DOTNET_',
      'MAVEN_',
      'GRADLE_',
      'HOMEBREW_',
    ],
  },
  { readBy: 'git, SSH, Docker or Kubernetes', prefixes: ['GIT_', 'GITLAB_', 'GL_', 'SSH_', 'DOCKER_', 'KUBE', 'HELM_'] },
  {
    readBy: 'a cloud or service CLI',
    prefixes: [
      'AWS_',
      'AZURE_',
      'ARM_',
      'GOOGLE_',
      'GCP_',
      'CLOUDSDK_',
      'VAULT_',
      'TF_',
      'PULUMI_',
      'CLOUDFLARE_',
      'DIGITALOCEAN_',
      'NETLIFY_',
      'VERCEL_',
      'HEROKU_',
      'CODECOV_',
      'SONAR_',
      'SNYK_',
      'SENTRY_',
      'HF_',
      'OP_',
      'DOPPLER_',
      'CIRCLE_',
      'BUILDKITE_',
    ],
  },
]

const OWNED = OWNED_PREFIXES.flatMap(({ readBy, prefixes }) => prefixes.map((prefix) => ({ prefix, readBy })))

/** Why `export-env` may not name `variable`, in a sentence that says what is accepted; undefined when it may. */
export function exportEnvRefusal(variable: string): string | undefined {
  if (!EXPORT_ENV_SHAPE.test(variable)) {
    return `Input export-env must be ${SHAPE_TEXT}, such as IMS_ACCESS_TOKEN or AEM_ACCESS_TOKEN: a name of another shape may be one that a later step's tools read as configuration. Names under the prefixes the runner and common tools own are refused too (listed in the input's description).`
  }
  const owned = OWNED.find(({ prefix }) => variable.toUpperCase().startsWith(prefix))
  if (owned) {
    return `Input export-env names a variable under ${owned.prefix} (read by ${owned.readBy}): the token there would change how later steps run. Choose another name that ends in _TOKEN, such as IMS_ACCESS_TOKEN or AEM_ACCESS_TOKEN.`
  }
  return undefined
}

/** What export-env accepts, for action.yml and the README. */
export function exportEnvRuleText(): string {
  const prefixes = OWNED.map(({ prefix }) => `\`${prefix}\``).join(', ')
  return `Only ${SHAPE_TEXT.replace('_TOKEN', '`_TOKEN`')} is accepted, such as \`IMS_ACCESS_TOKEN\` or \`AEM_ACCESS_TOKEN\`, and none that starts, in any case, with a prefix the runner or a common tool owns: ${prefixes}. Any other name could be one that a later step's tools read as configuration.`
}
