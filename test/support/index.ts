export { startTestServer, type TestServer, type TestServerOptions } from './server/test-server';
