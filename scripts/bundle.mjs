// `npm run bundle`: dist/ from src/, as the runner loads it. ncc bundles src/index.ts with the libraries
// (tsconfig `paths` swap in src/bundle-stand-ins/), the comments are taken out of the bundle (about a
// fifth of its size, which keeps dist/ under 200 KiB; the sources keep them, and licenses.txt keeps the
// libraries' licenses), @actions/core's summary module is made to take fs.promises on first use, and the
// post step's entry is written beside it. Each of these is measured in BENCHMARKS.md.
//   node scripts/bundle.mjs [OUT (default dist)] [--entry=FILE (default src/index.ts)] [--quiet]
// (the mock IMS action, mock-ims/action.yml, is bundled from mock-ims/src/index.ts into mock-ims/dist).
// Plain node, so that it runs the same on every system.
import { spawnSync } from 'node:child_process'
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, relative, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { parse } from 'acorn'
import { writePostEntry } from './write-post-entry.mjs'

/**
 * `code` without its comments. Only comments go: a comment alone on its lines goes with those lines; any
 * other becomes one space, or a line break where it held one, so that no two tokens join and automatic
 * semicolon insertion reads the code as before. Strings and templates are untouched: acorn finds the
 * comments, so a `//` inside a string is not one.
 */
export function withoutComments(code) {
  const comments = []
  parse(code, { ecmaVersion: 'latest', sourceType: 'module', onComment: (_block, text, start, end) => comments.push({ text, start, end }) })
  let result = ''
  let at = 0
  for (const { text, start, end } of comments) {
    const lineStart = code.lastIndexOf('\n', start - 1) + 1
    const newline = code.indexOf('\n', end)
    const lineEnd = newline < 0 ? code.length : newline + 1
    if (lineStart >= at && code.slice(lineStart, start).trim() === '' && code.slice(end, lineEnd).trim() === '') {
      result += code.slice(at, lineStart)
      at = lineEnd
    } else {
      result += `${code.slice(at, start)}${/[\n\r\u2028\u2029]/.test(text) ? '\n' : ' '}`
      at = end
    }
  }
  return result + code.slice(at)
}

/**
 * `code` with @actions/core's summary module reading `fs.promises` when it first writes, not at load. On
 * Node 24, `fs.promises` loads node:fs/promises with readline and the REPL's history (about 1.5 % of a
 * step's CPU time and 0.6 MiB of peak RSS), and this action never calls them: it writes its summary with
 * one appendFileSync. Fails the build, naming the change, if the module no longer reads them as it does.
 */
export function withLazyFsPromises(code) {
  const eager = /^const \{ access, appendFile, writeFile \} = (\w+)\.promises;(?=\r?$)/gm
  const found = [...code.matchAll(eager)]
  if (found.length !== 1) {
    throw new Error(
      `@actions/core's summary module changed: the bundle has ${found.length} lines \`const { access, appendFile, writeFile } = fs.promises;\`, ` +
        'where scripts/bundle.mjs (withLazyFsPromises) expects one. Look at what it reads now, and update or drop that step.',
    )
  }
  const fs = found[0][1]
  const lazy = ['access', 'appendFile', 'writeFile'].map((name) => `${name} = (...args) => ${fs}.promises.${name}(...args)`)
  return code.replace(eager, `const ${lazy.join(', ')};`)
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const root = fileURLToPath(new URL('..', import.meta.url))
  const args = process.argv.slice(2)
  const out = args.find((arg) => !arg.startsWith('--')) ?? 'dist'
  const ncc = createRequire(import.meta.url).resolve('@vercel/ncc/dist/ncc/cli.js')
  const entry = args.find((arg) => arg.startsWith('--entry='))?.slice('--entry='.length) ?? 'src/index.ts'
  // ncc quiet: the sizes it prints are from before the comments go; the final ones are printed below.
  const nccArgs = ['build', entry, '--out', out, '--license', 'licenses.txt', '--quiet']
  const build = spawnSync(process.execPath, [ncc, ...nccArgs], { cwd: root, stdio: 'inherit' })
  if (build.status !== 0) process.exit(build.status ?? 1)
  const folder = resolve(root, out)
  const bundle = join(folder, 'index.js')
  // LF line ends only, as git checks the bundle out (.gitattributes): a library written with CRLF (tslib,
  // in mock-ims/dist) would otherwise leave a fresh build differing from the committed one. To JavaScript
  // both are line terminators, and template literals read CRLF as LF.
  writeFileSync(bundle, withLazyFsPromises(withoutComments(readFileSync(bundle, 'utf8'))).replace(/\r\n/g, '\n'))
  writePostEntry(folder)
  if (!args.includes('--quiet')) printSizes(folder, root)
}

/** What the runner downloads: each file of `folder` and the total, in KiB, as they are after the build. */
function printSizes(folder, root) {
  const kib = (bytes) => `${(bytes / 1024).toFixed(1).padStart(7)} KiB`
  const files = readdirSync(folder).map((name) => ({ name, bytes: statSync(join(folder, name)).size }))
  for (const { name, bytes } of files) console.log(`${kib(bytes)}  ${relative(root, join(folder, name))}`)
  console.log(`${kib(files.reduce((sum, { bytes }) => sum + bytes, 0))}  ${relative(root, folder) || '.'}/ in all`)
}
