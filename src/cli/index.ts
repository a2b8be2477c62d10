import { runCli } from './commands.js';

const code = await runCli(process.argv.slice(2), {
  stdout: (t) => process.stdout.write(t),
  stderr: (t) => process.stderr.write(t),
  now: () => Date.now() * 1000,
});
process.exitCode = code;
