import { describe, expect, it } from '@jest/globals'
import { maskSecretText } from '../../src/lib/reporter.js'
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
