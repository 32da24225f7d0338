// The proxy lives in the shared test harness (the soak run uses it too).
export { TcpProxy } from '@os-hypervisors/testing';
