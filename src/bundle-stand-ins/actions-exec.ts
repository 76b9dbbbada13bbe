/**
 * Stands in for `@actions/exec` in dist/index.js (see README.md here): @actions/core imports it only for
 * core.platform.getDetails(), which this action never calls.
 */
function leftOut(): never {
  throw new Error(
    '@actions/exec is left out of this bundle: core.platform.getDetails() is not available (see src/bundle-stand-ins/README.md)',
  )
}

export const exec = leftOut
export const getExecOutput = leftOut
