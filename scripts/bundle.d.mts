/** `code` without its comments; see bundle.mjs. */
export function withoutComments(code: string): string
/** `code` with @actions/core's summary module reading fs.promises on first use; see bundle.mjs. */
export function withLazyFsPromises(code: string): string
