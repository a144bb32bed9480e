// http: the listener on HTTP_PORT — /api/status (ready, or what the service waits for), /api/migrations (zips for
// Electric's client generator), and the server the Satellite WebSocket attaches its upgrade handler to.
export { startHttpServer, type RunningHttpServer, type HttpServerOptions } from './http-server.ts';
