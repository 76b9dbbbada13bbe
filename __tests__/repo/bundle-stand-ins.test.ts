/**
 * The stand-ins of src/bundle-stand-ins/ replace libraries in dist/index.js on the strength of what
 * @actions/core and @actions/http-client do with them today: which names they import, and that they use
 * them only in functions this action never calls (or, for tunnel, only for a proxy). These tests read the
 * libraries' own code in node_modules, so an update that changes any of that fails here, saying which
 * stand-in no longer fits and why, before the bundle can break at a user's run.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { describe, expect, it } from '@jest/globals'
import * as acorn from 'acorn'
import { ROOT } from '../../emulator/runner.js'
import * as actionsExecStandIn from '../../src/bundle-stand-ins/actions-exec.js'
import * as tunnelStandIn from '../../src/bundle-stand-ins/tunnel.js'
import * as undiciStandIn from '../../src/bundle-stand-ins/undici.js'

type Node = acorn.Node & Record<string, unknown>

const libraryFolder = (name: string): string => join(ROOT, 'node_modules', name, 'lib')

/** A name bound by an import of `source` in a library file, and every place the file refers to it. */
interface ImportUse {
  readonly file: string
  /** The names imported (`*` for a namespace import). */
  readonly imported: readonly string[]
  /** For a namespace import, the members read from it. */
  readonly members: readonly string[]
  /** The nearest named function or method around each reference; `(load time)` for none. */
  readonly usedIn: readonly string[]
}

function nameOf(node: Node): string | undefined {
  const id = (node['id'] ?? node['key']) as Node | undefined
  if (node.type === 'FunctionDeclaration' || node.type === 'MethodDefinition') return id?.['name'] as string | undefined
  if (node.type === 'VariableDeclarator' && /Function/.test((node['init'] as Node | undefined)?.type ?? '')) return id?.['name'] as string
  return undefined
}

function isFunction(node: Node): boolean {
  return /Function/.test(node.type)
}

/** Calls `visit` on every node of `root` with its ancestors, nearest last. */
function walk(root: Node, visit: (node: Node, ancestors: readonly Node[]) => void, ancestors: Node[] = []): void {
  visit(root, ancestors)
  ancestors.push(root)
  for (const value of Object.values(root)) {
    for (const child of Array.isArray(value) ? value : [value]) {
      if (child && typeof child === 'object' && typeof (child as Node).type === 'string') walk(child as Node, visit, ancestors)
    }
  }
  ancestors.pop()
}

/** How each .js file of `folder` uses what it imports from `source`. */
function usesOf(folder: string, source: string): ImportUse[] {
  const uses: ImportUse[] = []
  for (const file of readdirSync(folder).filter((name) => name.endsWith('.js'))) {
    const program = acorn.parse(readFileSync(join(folder, file), 'utf8'), {
      ecmaVersion: 'latest',
      sourceType: 'module',
    }) as unknown as Node
    const locals = new Map<string, string>()
    for (const statement of program['body'] as Node[]) {
      if (statement.type !== 'ImportDeclaration' || (statement['source'] as Node)['value'] !== source) continue
      for (const specifier of statement['specifiers'] as Node[]) {
        const local = (specifier['local'] as Node)['name'] as string
        locals.set(
          local,
          specifier.type === 'ImportNamespaceSpecifier'
            ? '*'
            : (((specifier['imported'] as Node | undefined)?.['name'] as string) ?? 'default'),
        )
      }
    }
    if (locals.size === 0) continue
    const members = new Set<string>()
    const usedIn = new Set<string>()
    walk(program, (node, ancestors) => {
      if (node.type !== 'Identifier' || !locals.has(node['name'] as string)) return
      const parent = ancestors.at(-1)
      if (!parent || parent.type.startsWith('Import')) return
      // `x.ProxyAgent` or `{ ProxyAgent: x }` names a property, not the import.
      const propertyName =
        (parent.type === 'MemberExpression' && parent['property'] === node && !parent['computed']) ||
        ((parent.type === 'Property' || parent.type === 'MethodDefinition') && parent['key'] === node && !parent['shorthand'])
      if (propertyName) return
      if (parent.type === 'MemberExpression' && parent['object'] === node) members.add((parent['property'] as Node)['name'] as string)
      const named = [...ancestors].reverse().find((ancestor) => nameOf(ancestor) !== undefined)
      usedIn.add(named ? (nameOf(named) ?? '') : ancestors.some(isFunction) ? '(an unnamed function)' : '(load time)')
    })
    uses.push({ file, imported: [...locals.values()], members: [...members].sort(), usedIn: [...usedIn].sort() })
  }
  return uses
}

/** Where the project's own sources call `name`. */
function sourcesCalling(name: string): string[] {
  const found: string[] = []
  const visit = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name)
      if (entry.isDirectory()) visit(path)
      else if (entry.name.endsWith('.ts') && !path.includes('bundle-stand-ins') && readFileSync(path, 'utf8').includes(name))
        found.push(path)
    }
  }
  visit(join(ROOT, 'src'))
  return found
}

/** What a stand-in lacks or lets through, as sentences; empty when it still fits. */
function misfits(
  standIn: string,
  uses: readonly ImportUse[],
  expected: { readonly file: string; readonly names: readonly string[]; readonly onlyIn: readonly string[] },
): string[] {
  const problems: string[] = []
  const say = (what: string): number => problems.push(`${standIn} no longer fits: ${what} (see src/bundle-stand-ins/README.md)`)
  if (uses.length === 0) say(`nothing imports it any more, so the stand-in is not needed`)
  for (const use of uses) {
    if (use.file !== expected.file) say(`${use.file} imports it too`)
    const names = use.imported.includes('*') ? use.members : use.imported
    for (const name of names) if (!expected.names.includes(name)) say(`${use.file} now uses ${name}, which the stand-in does not provide`)
    for (const place of use.usedIn)
      if (!expected.onlyIn.includes(place)) say(`${use.file} now uses it in ${place}, not only in ${expected.onlyIn.join(' / ')}`)
  }
  return problems
}

describe('the bundle stand-ins still fit the libraries they replace', () => {
  it('undici: @actions/http-client uses only ProxyAgent, only for getAgentDispatcher(), which this action never calls', () => {
    const uses = usesOf(libraryFolder('@actions/http-client'), 'undici')
    const problems = misfits('The undici stand-in', uses, {
      file: 'index.js',
      names: Object.keys(undiciStandIn),
      onlyIn: ['_getProxyAgentDispatcher'],
    })
    const callers = usesOfMethod(join(libraryFolder('@actions/http-client'), 'index.js'), '_getProxyAgentDispatcher')
    if (callers.join() !== 'getAgentDispatcher')
      problems.push(`The undici stand-in no longer fits: _getProxyAgentDispatcher is now called from ${callers.join(', ')}`)
    for (const path of sourcesCalling('getAgentDispatcher'))
      problems.push(`${path} calls getAgentDispatcher(), which the undici stand-in leaves out`)
    expect(problems).toEqual([])
  })

  it('@actions/exec: @actions/core uses it only for core.platform.getDetails(), which this action never calls', () => {
    const uses = usesOf(libraryFolder('@actions/core'), '@actions/exec')
    const problems = misfits('The @actions/exec stand-in', uses, {
      file: 'platform.js',
      names: Object.keys(actionsExecStandIn),
      // The helpers getDetails() awaits, one per system.
      onlyIn: ['getLinuxInfo', 'getMacOsInfo', 'getWindowsInfo'],
    })
    const platformFile = join(libraryFolder('@actions/core'), 'platform.js')
    for (const helper of ['getLinuxInfo', 'getMacOsInfo', 'getWindowsInfo']) {
      const callers = usesOfMethod(platformFile, helper)
      if (callers.join() !== 'getDetails')
        problems.push(`The @actions/exec stand-in no longer fits: ${helper} is now used from ${callers.join(', ')}`)
    }
    for (const path of sourcesCalling('getDetails'))
      problems.push(`${path} calls getDetails(), which the @actions/exec stand-in leaves out`)
    expect(problems).toEqual([])
  })

  it('tunnel: @actions/http-client calls it only to make a proxy agent, and tunnel/lib/tunnel.js is the library', () => {
    const uses = usesOf(libraryFolder('@actions/http-client'), 'tunnel')
    const problems = misfits('The tunnel stand-in', uses, { file: 'index.js', names: Object.keys(tunnelStandIn), onlyIn: ['_getAgent'] })
    // The stand-in loads the real library by this path, which its mapping does not catch.
    const require = createRequire(join(ROOT, 'package.json'))
    const real = require('tunnel/lib/tunnel.js') as Record<string, unknown>
    if (require('tunnel') !== real) problems.push("The tunnel stand-in no longer fits: tunnel's main module is not lib/tunnel.js any more")
    for (const name of Object.keys(tunnelStandIn))
      if (typeof real[name] !== 'function')
        problems.push(`The tunnel stand-in no longer fits: tunnel/lib/tunnel.js has no function ${name}`)
    expect(problems).toEqual([])
  })
})

/** The named functions or methods of `file` that refer to `name` (a method through `this.name`, a function by its name). */
function usesOfMethod(file: string, name: string): string[] {
  const program = acorn.parse(readFileSync(file, 'utf8'), { ecmaVersion: 'latest', sourceType: 'module' }) as unknown as Node
  const users = new Set<string>()
  walk(program, (node, ancestors) => {
    const parent = ancestors.at(-1)
    // A reference, not the name's own declaration or a property name (`this.name` counts as the member expression).
    const declares =
      parent !== undefined && /^(MethodDefinition|Property|VariableDeclarator|FunctionDeclaration|MemberExpression)$/.test(parent.type)
    const refers =
      (node.type === 'Identifier' && node['name'] === name && !declares) ||
      (node.type === 'MemberExpression' && (node['property'] as Node)['name'] === name)
    if (!refers) return
    const named = [...ancestors].reverse().find((ancestor) => nameOf(ancestor) !== undefined)
    users.add(named ? (nameOf(named) ?? '') : '(load time)')
  })
  return [...users].sort()
}
