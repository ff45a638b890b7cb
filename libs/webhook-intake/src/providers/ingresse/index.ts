export * from './ingresse.constants.js';
export * from './ingresse-envelope.dto.js';
export * from './ingresse-ticket.dto.js';
export * from './ingresse-webhook.types.js';
export * from './ingresse-webhook.check.js';
