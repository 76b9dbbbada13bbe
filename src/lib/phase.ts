import { basename } from 'node:path'

/** The script the runner starts for the post step (action.yml's `runs.post`); it only imports index.js. */
export const POST_SCRIPT = 'post.js'

export type Phase = 'main' | 'post'

/**
 * Which step the runner started: one bundle serves both, and the script it ran says which
 * (`process.argv[1]`: dist/index.js for the main step, dist/post.js for the post step). Either kind of path
 * separator is read, so a Windows path is understood wherever this runs.
 */
export function phaseOf(scriptPath: string | undefined): Phase {
  const name = basename((scriptPath ?? '').replace(/\\/g, '/'))
  return name.toLowerCase() === POST_SCRIPT ? 'post' : 'main'
}
