/**
 * The mock IMS action's post step, after the post steps of the actions that came after it (the runner
 * runs them in reverse order): reports what the emulator received and whether each token it issued was
 * invalidated, to the log and the job summary, then stops the emulator process and deletes its folder.
 */
import { rmSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import * as core from '@actions/core'
import { folderFiles, processRunning, readIfThere } from './files.js'
import { readJournal, requestRows, textTable, tokenLines } from './journal.js'

const HEADER = ['operation', 'client id', 'status'] as const

/** Stops the emulator process; true once it has gone. */
async function stop(pid: number): Promise<boolean> {
  if (!Number.isInteger(pid) || pid <= 0 || !processRunning(pid)) return true
  try {
    process.kill(pid)
  } catch {
    // Gone in the meantime.
  }
  for (let waited = 0; waited < 10_000; waited += 50) {
    if (!processRunning(pid)) return true
    await sleep(50)
  }
  return false
}

export async function runPost(): Promise<void> {
  const dir = core.getState('dir')
  if (!dir) {
    core.debug('The mock IMS was not started: nothing to stop.')
    return
  }
  const files = folderFiles(dir)
  const entries = readJournal(readIfThere(files.journal))
  const log = readIfThere(files.log).trim()
  const stopped = await stop(Number(core.getState('pid')))

  const rows = requestRows(entries)
  const tokens = tokenLines(entries)
  core.info(`The mock IMS received ${entries.length} ${entries.length === 1 ? 'request' : 'requests'}${entries.length ? ':' : '.'}`)
  if (entries.length) for (const line of textTable(HEADER, rows)) core.info(`  ${line}`)
  for (const line of tokens) core.info(line)
  if (log) {
    core.startGroup("The mock IMS's log")
    core.info(log)
    core.endGroup()
  }
  if (process.env['GITHUB_STEP_SUMMARY']) {
    core.summary.addHeading('Mock IMS', 3)
    if (entries.length) core.summary.addTable([HEADER.map((data) => ({ data, header: true })), ...rows])
    else core.summary.addRaw('It received no requests.', true)
    if (tokens.length) core.summary.addList(tokens)
    await core.summary.write()
  }

  rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 })
  if (stopped) core.info('Stopped the mock IMS and deleted its files.')
  else core.warning(`The mock IMS (process ${core.getState('pid')}) did not stop within 10 s; its files are deleted.`)
}
