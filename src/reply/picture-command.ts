/**
 * A "Show as picture" button carries the command line it runs. Only lines
 * of this shape are accepted from a button, so a forged or stale value can
 * never run another command (or an admin one) through it.
 */
const PICTURE_LINE = /^\/timeline(?: [^\n]*)? picture:true$/;
export const PICTURE_BUTTON_LABEL = 'Show as picture';

export function isPictureCommand(line: string | undefined): line is string {
  return line !== undefined && line.length <= 300 && PICTURE_LINE.test(line);
}
