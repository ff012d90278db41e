// Jest setup of the 'api: media killed and restarted' project (see jest.config.js).
process.env.MODULITH_TEST_TOPOLOGY = 'remote-restart';
