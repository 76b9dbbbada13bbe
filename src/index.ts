import { phaseOf } from './lib/phase.js'
import { runStep } from './steps.js'

// One bundle for both steps of action.yml: dist/post.js only imports this file, and the script the runner
// started says which step this is.
await runStep(phaseOf(process.argv[1]))
// No process.exit() once the step is done: the event loop winds down on its own (the connection to IMS
// closing), about 2 ms later. process.exit() tears down Node.js's platform at once, and when V8 is compiling
// in the background at that moment the process can deadlock and hold the job until its timeout
// (nodejs/node#54918; seen here on Node.js 24, about 1 run in 40 after a large answer).
// A request abandoned at its timeout can leave a socket behind (a proxy that never answered CONNECT keeps it
// open), which would hold the process, and the job, open: exit after a moment anyway, when the background
// work is long done. The timer is unref'd, so it never holds the process itself.
setTimeout(() => process.exit(), 1000).unref()
