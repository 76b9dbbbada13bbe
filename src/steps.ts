import type { Phase } from './lib/phase.js'
import { run } from './main.js'
import { runPost } from './post-step.js'

/**
 * Runs the step the runner started. Both entries meet here rather than in index.ts, whose top-level await
 * keeps it out of the bundler's module concatenation: from one root, the modules both steps share are
 * concatenated once, and the bundle stays about as small as with the main step alone.
 */
export function runStep(phase: Phase): Promise<void> {
  return phase === 'post' ? runPost() : run()
}
