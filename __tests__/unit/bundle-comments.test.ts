import { describe, expect, it } from '@jest/globals'
import { withoutComments } from '../../scripts/bundle.mjs'

describe('withoutComments, as npm run bundle takes comments out of dist/index.js', () => {
  it('drops whole comment lines and keeps the code as it was', () => {
    expect(withoutComments('/***/ const b = 2\n  // a note\nconst a = 1 // why\n/**\n * doc\n */\nexport { a, b }\n')).toBe(
      '  const b = 2\nconst a = 1  \nexport { a, b }\n',
    )
  })

  it('never joins two tokens, and keeps a line break that automatic semicolon insertion reads', () => {
    expect(withoutComments('let a/**/= 1')).toBe('let a = 1')
    // `return /*\n*/ x` returns undefined: the comment's line break ends the statement.
    const code = 'function f() { return /*\n*/ 42 }\nexport const value = f()'
    const stripped = withoutComments(code)
    expect(stripped).toBe('function f() { return \n 42 }\nexport const value = f()')
  })

  it('leaves strings, templates and regular expressions alone', () => {
    const code = "const s = '// not a comment', t = `a\n\n/* nor this */`, r = /\\/\\/x/g // this one\n"
    expect(withoutComments(code)).toBe("const s = '// not a comment', t = `a\n\n/* nor this */`, r = /\\/\\/x/g  \n")
  })
})
