import { phaseOf } from '../../src/lib/phase.js'
import { serveMockIms } from './emulator-process.js'
import { EMULATOR_FLAG } from './files.js'
import { run } from './main.js'
import { runPost } from './post-step.js'

// One bundle for the main step, the post step (mock-ims/dist/post.js only imports this file) and the
// emulator process the main step starts in the background, which alone is given an argument.
if (process.argv[2] === EMULATOR_FLAG) {
  // Its output is the log file the main step shows when it does not start: the reason, not a stack trace.
  await serveMockIms(process.argv[3] ?? '').catch((error: unknown) => {
    console.error((error as Error).message)
    process.exit(1)
  })
} else {
  // The step ends when its event loop does: no process.exit(), which can deadlock Node.js (src/index.ts).
  await (phaseOf(process.argv[1]) === 'post' ? runPost() : run())
}
