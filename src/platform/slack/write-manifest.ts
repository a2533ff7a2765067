import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { allCommands } from '../../../commands/index.ts';
import { renderManifestYaml } from './manifest.ts';

/**
 * Writes slack-app-manifest.yaml (Socket Mode) from the command declarations.
 * With --request-url https://<host>/slack/events it prints an HTTP-mode
 * manifest on stdout instead.
 *   node bin/run-ts.mjs src/platform/slack/write-manifest.ts [--request-url URL]
 */
const { values } = parseArgs({ options: { 'request-url': { type: 'string' } } });
const requestUrl = values['request-url'];
if (requestUrl !== undefined && !/^https:\/\/\S+$/.test(requestUrl)) {
  console.error('--request-url must be the https URL Slack can reach, e.g. https://bot.example.org/slack/events');
  process.exit(2);
}
const yaml = renderManifestYaml(allCommands, { requestUrl });
if (requestUrl) {
  process.stdout.write(yaml);
} else {
  const file = join(import.meta.dirname, '..', '..', '..', 'slack-app-manifest.yaml');
  writeFileSync(file, yaml);
  console.error(`wrote ${file}`);
}
