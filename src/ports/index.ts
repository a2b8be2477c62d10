/**
 * What the operations (src/ops/) need from the outside world, in one neutral place: adapters (src/adapters/,
 * src/github/) implement these, operations and their tests depend on these only. Arrows run one way:
 * ops → ports ← adapters.
 */
export * from './database.js';
export * from './github.js';
export * from './logger.js';
export * from './state.js';
export * from './feedback.js';
