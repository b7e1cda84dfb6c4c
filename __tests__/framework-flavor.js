// Each unit project names its framework flavor (jest.config.js); a test's child processes (the
// app's synth) inherit it through CDK_FRAMEWORK. Jest gives every test file its own process.env.
process.env.CDK_FRAMEWORK = globalThis.CDK_FRAMEWORK;
