// `npm run bundle`: dist/ from src/, as the runner loads it. ncc bundles src/index.ts with the libraries
// (tsconfig `paths` swap in src/bundle-stand-ins/), the comments are taken out of the bundle (about a
// fifth of its size, which the runner would read and V8 scan at every start; the sources keep them, and
// licenses.txt keeps the libraries' licenses), and the post step's entry is written beside it.
//   node scripts/bundle.mjs [OUT (default dist)] [--entry=FILE (default src/index.ts)] [--quiet]
// (the mock IMS action, mock-ims/action.yml, is bundled from mock-ims/src/index.ts into mock-ims/dist).
// Plain node, so that it runs the same on every system.
import { spawnSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join, resolve } from 'node:path'
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

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const root = fileURLToPath(new URL('..', import.meta.url))
  const args = process.argv.slice(2)
  const out = args.find((arg) => !arg.startsWith('--')) ?? 'dist'
  const ncc = createRequire(import.meta.url).resolve('@vercel/ncc/dist/ncc/cli.js')
  const entry = args.find((arg) => arg.startsWith('--entry='))?.slice('--entry='.length) ?? 'src/index.ts'
  const nccArgs = ['build', entry, '--out', out, '--license', 'licenses.txt', ...(args.includes('--quiet') ? ['--quiet'] : [])]
  const build = spawnSync(process.execPath, [ncc, ...nccArgs], { cwd: root, stdio: 'inherit' })
  if (build.status !== 0) process.exit(build.status ?? 1)
  const folder = resolve(root, out)
  const bundle = join(folder, 'index.js')
  // LF line ends only, as git checks the bundle out (.gitattributes): a library written with CRLF (tslib,
  // in mock-ims/dist) would otherwise leave a fresh build differing from the committed one. To JavaScript
  // both are line terminators, and template literals read CRLF as LF.
  writeFileSync(bundle, withoutComments(readFileSync(bundle, 'utf8')).replace(/\r\n/g, '\n'))
  writePostEntry(folder)
}
