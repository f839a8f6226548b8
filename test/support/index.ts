export {
  STAND_IN_SERVER_VERSION,
  startTestServer,
  type TestServer,
  type TestServerOptions,
} from './server/test-server';
export {
  startTestCluster,
  type TestCluster,
  type TestClusterNode,
  type TestClusterOptions,
} from './server/test-cluster';
export type { ClusterClock } from './model/cluster';
