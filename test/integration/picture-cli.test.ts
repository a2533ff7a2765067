import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { decodePng } from '../support/png-pixels.ts';

/** `armistice ask "/timeline … picture:true"` and the console chat write the PNG to a file and print its path. */

const dir = mkdtempSync(join(tmpdir(), 'armistice-pictures-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('pictures from the command line', () => {
  it('GIVEN ask with --out WHEN the timeline is asked with picture:true THEN the text answer is printed and the PNG written there', async () => {
    const out = join(dir, 'seed.png');
    const run = await runCli(['ask', '/timeline picture:true', '--out', out]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('== Timeline from the 1950 outbreak to the latest article ==');
    expect(run.stdout).toContain(`Picture: ${out} (`);
    const png = decodePng(readFileSync(out));
    expect(png.width).toBe(1200);
  });

  it('GIVEN ask without --out THEN the picture goes under var/pictures/ of the working directory, and --json tells where', async () => {
    const run = await runCli(['ask', '/timeline 2019 picture:true', '--json'], { cwd: dir, env: { DATA_DIR: join(process.cwd(), 'data') } });
    expect(run.code).toBe(0);
    const reply = JSON.parse(run.stdout);
    expect(reply.image).toMatchObject({ filename: 'timeline-from-2019-to-2019.png', mimeType: 'image/png', path: join(dir, 'var', 'pictures', 'timeline-from-2019-to-2019.png') });
    expect(readFileSync(reply.image.path).length).toBe(reply.image.bytes);
  });

  it('GIVEN an empty period THEN a clear message and no file', async () => {
    const out = join(dir, 'empty.png');
    const run = await runCli(['ask', '/timeline 1960 picture:true', '--out', out]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('No picture was drawn: there is nothing in this selection to show.');
    expect(() => readFileSync(out)).toThrow();
  });

  it('GIVEN the console chat WHEN a picture is asked for THEN its path is printed under the answer', async () => {
    const run = await runCli(['start'], { cwd: dir, stdin: '/timeline about:Bolton picture:true\n', env: { DATA_DIR: join(process.cwd(), 'data') } });
    expect(run.stdout).toMatch(new RegExp(`Picture: ${join(dir, 'var', 'pictures', 'timeline-about-Bolton.png').replace(/[.]/g, '\\.')} \\(\\d+ bytes\\) — Picture: Timeline about “Bolton”`));
  });
});
