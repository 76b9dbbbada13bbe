import { phaseOf } from './lib/phase.js'
import { runStep } from './steps.js'

// One bundle for both steps of action.yml: dist/post.js only imports this file, and the script the runner
// started says which step this is.
await runStep(phaseOf(process.argv[1]))
// The step is done once stdout, which the runner reads, has drained: exit then, rather than wait for the
// event loop to wind down (the connection to IMS closing and the like): about 2 ms less per run.
process.stdout.write('', () => process.exit())
// A request abandoned at its timeout can leave a socket behind (a proxy that never answered CONNECT
// keeps it open), which would hold the process, and the job, open. Should stdout not drain either, exit
// after a moment anyway; the timer is unref'd, so it never holds the process itself.
setTimeout(() => process.exit(), 1000).unref()
