export * from './appIcons.js';
export * from './bridge.js';
export * from './bundle.js';
export * from './errors.js';
export * from './messages.js';
export * from './shellOrigin.js';
export * from './theme.js';
