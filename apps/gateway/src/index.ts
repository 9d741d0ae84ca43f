export { type AppDeps, createApp, type Gateway } from './app.ts';
export { type GatewayConfig, loadConfig } from './config.ts';
