export const LEDGER_METRICS = Symbol('LedgerMetrics');
