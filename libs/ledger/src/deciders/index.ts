export * from './decider.js';
export * from './booking.decider.js';
export * from './consent.decider.js';
export * from './performance.decider.js';
export * from './show.decider.js';
export * from './ticket-type.decider.js';
export * from './ticket.decider.js';
