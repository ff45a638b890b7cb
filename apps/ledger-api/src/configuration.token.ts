/** Injection token of the validated `LedgerConfiguration`. */
export const CONFIGURATION = Symbol('LedgerConfiguration');
