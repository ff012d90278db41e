// Jest setup of the 'api: media over NATS' project (see jest.config.js).
process.env.MODULITH_TEST_TOPOLOGY = 'remote';
