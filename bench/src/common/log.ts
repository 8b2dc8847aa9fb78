/** Progress and diagnostics go to stderr, one line each; stdout holds only the report. */
export const log = (text: string): void => void process.stderr.write(`${text}\n`);
