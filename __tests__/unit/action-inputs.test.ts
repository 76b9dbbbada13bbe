import { describe, expect, it } from '@jest/globals'
import { InputError } from '../../src/lib/errors.js'
import { INPUT_NAMES, MAX_INPUT_LENGTH, readInputs } from '../../src/lib/action-inputs.js'

describe('readInputs', () => {
  it('reads every input trimmed, and absent ones as empty', () => {
    const inputs = readInputs((name) => (name === 'client-id' ? '  cm-p1-e2 \n' : ''))
    expect(inputs['client-id']).toBe('cm-p1-e2')
    expect(Object.keys(inputs)).toEqual([...INPUT_NAMES])
  })

  // The scenario suite cannot pass 1 MB: Linux caps one environment string at 128 KiB.
  it.each(INPUT_NAMES)('refuses 1 MB of %s, naming it and not repeating it', (name) => {
    const huge = 'p8e-'.padEnd(1024 * 1024, 'Z')
    const read = (): unknown => readInputs((input) => (input === name ? huge : ''))
    expect(read).toThrow(InputError)
    expect(read).toThrow(`Input ${name} is ${huge.length} characters long; the most this action accepts is ${MAX_INPUT_LENGTH}.`)
    expect(() => read()).not.toThrow(/ZZZZ/)
  })
})
