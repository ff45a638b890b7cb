/** Injection token of the audit reads (`AuditQueries`). */
export const AUDIT_QUERIES = Symbol('AuditQueries');
/** Injection token of the audit module's own reader of the redelivery counters. */
export const AUDIT_REDELIVERIES = Symbol('AuditRedeliveries');
