import type { Reporter } from '../../src/lib/reporter.js'

/** A Reporter that keeps what it was told, in order. */
export class RecordingReporter implements Reporter {
  readonly events: { readonly kind: keyof Reporter; readonly text: string }[] = []
  get masks(): string[] {
    return this.events.filter((event) => event.kind === 'maskSecret').map((event) => event.text)
  }
  get lines(): string[] {
    return this.events.filter((event) => event.kind !== 'maskSecret').map((event) => `${event.kind}: ${event.text}`)
  }
  maskSecret(value: string): void {
    this.events.push({ kind: 'maskSecret', text: value })
  }
  info(message: string): void {
    this.events.push({ kind: 'info', text: message })
  }
  warning(message: string): void {
    this.events.push({ kind: 'warning', text: message })
  }
  debug(message: string): void {
    this.events.push({ kind: 'debug', text: message })
  }
}
