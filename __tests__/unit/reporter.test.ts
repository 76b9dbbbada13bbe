import { describe, expect, it } from '@jest/globals'
import { maskSecretText, quietReporter, type RunnerLog, runnerReporter } from '../../src/lib/reporter.js'
import { RecordingReporter } from '../support/recording-reporter.js'

describe('maskSecretText', () => {
  it('masks a one-line value whole', () => {
    const reporter = new RecordingReporter()
    maskSecretText(reporter, '  p8e-secret  ')
    expect(reporter.masks).toEqual(['p8e-secret'])
  })

  it('masks each line of a multi-line value, but not the PEM markers or short scraps', () => {
    const reporter = new RecordingReporter()
    maskSecretText(reporter, '-----BEGIN PRIVATE KEY-----\r\nMIIEvQIBADAN\r\nBgkqhkiG\r\n==\r\n-----END PRIVATE KEY-----\r\n')
    expect(reporter.masks).toEqual(['MIIEvQIBADAN', 'BgkqhkiG'])
  })

  it('masks the pieces between literal \\n escapes and the whole line', () => {
    const reporter = new RecordingReporter()
    maskSecretText(reporter, '-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADAN\\nBgkqhkiG\\n-----END PRIVATE KEY-----')
    expect(reporter.masks).toEqual([
      'MIIEvQIBADAN',
      'BgkqhkiG',
      '-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADAN\\nBgkqhkiG\\n-----END PRIVATE KEY-----',
    ])
  })
})

describe('runnerReporter and quietReporter', () => {
  function recordingLog(): { log: RunnerLog; calls: string[] } {
    const calls: string[] = []
    return {
      calls,
      log: {
        setSecret: (value) => calls.push(`mask ${value}`),
        info: (message) => calls.push(`info ${message}`),
        warning: (message) => calls.push(`warning ${message}`),
        debug: (message) => calls.push(`debug ${message}`),
      },
    }
  }

  it('registers each mask once and passes every line on at its level', () => {
    const { log, calls } = recordingLog()
    const reporter = runnerReporter(log)
    reporter.maskSecret('s3cret')
    reporter.maskSecret('s3cret')
    reporter.info('i')
    reporter.warning('w')
    reporter.debug('d')
    expect(calls).toEqual(['mask s3cret', 'info i', 'warning w', 'debug d'])
  })

  it('quietly: masks as before, and info and warnings become debug lines', () => {
    const { log, calls } = recordingLog()
    const quiet = quietReporter(runnerReporter(log))
    quiet.maskSecret('s3cret')
    quiet.info('i')
    quiet.warning('w')
    quiet.debug('d')
    expect(calls).toEqual(['mask s3cret', 'debug i', 'debug w', 'debug d'])
  })
})
