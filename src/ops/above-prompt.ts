/**
 * Lines the bot prints on its own — log lines, digests posted to the console
 * — while someone types at the console chat's `armistice>` prompt. Written
 * plainly they land on the prompt line, in the middle of what is being typed.
 * The interactive console chat installs a writer that clears the prompt line,
 * prints, and draws the prompt back with the typing as it was.
 */
type Around = (write: () => void) => void;

const plainly: Around = (write) => write();
let around: Around = plainly;

/** Runs `write` (which prints) so that it lands above an interactive prompt, if there is one. */
export function printAbovePrompt(write: () => void): void {
  around(write);
}

/** Installs how to print above the prompt; the returned function removes it again. */
export function installPromptGuard(guard: Around): () => void {
  around = guard;
  return () => {
    if (around === guard) around = plainly;
  };
}
