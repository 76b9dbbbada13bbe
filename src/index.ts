import { run } from './main.js'

await run()
// A request abandoned at its timeout can leave a socket behind (a proxy that never answered CONNECT
// keeps it open), which would hold the process, and the job, open. Once the step has finished, give
// pending output a moment, then exit; the timer is unref'd, so a clean run exits at once without it.
setTimeout(() => process.exit(), 1000).unref()
