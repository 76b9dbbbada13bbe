// Writes the post step's entry (action.yml's `runs.post`) next to a bundle: one line that runs the same
// bundle, which tells the phase from the script's name (src/lib/phase.ts). Plain node, so that
// `npm run bundle` works the same on every system.
//   node scripts/write-post-entry.mjs <folder of index.js>
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

export function writePostEntry(folder) {
  writeFileSync(join(folder, 'post.js'), "import './index.js'\n")
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const folder = process.argv[2]
  if (!folder) {
    console.error('Usage: node scripts/write-post-entry.mjs <folder of index.js>')
    process.exit(2)
  }
  writePostEntry(folder)
}
