/** `code` without its comments; see bundle.mjs. */
export function withoutComments(code: string): string
