export { mountWeb } from './mount-web.ts';
export { type WebRoutesOptions, webRoutes } from './web-routes.ts';
