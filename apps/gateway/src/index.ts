export { type AppDeps, createApp, type Gateway } from './app.ts';
export { type GatewayConfig, loadConfig } from './config.ts';
export { describeListenError } from './listen-errors.ts';
export { checkRedisDurability, type RedisDurability } from './redis-durability.ts';
export { type RunGatewayOptions, runGateway } from './run-gateway.ts';
