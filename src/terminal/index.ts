export { hintFor } from './hints.js';
export { createOutput, redact } from './output.js';
export type { Output, OutputOptions } from './output.js';
export { openTty, promptLine, promptSecret, readStdin } from './prompt.js';
export type { PromptOptions } from './prompt.js';
export { renderQr } from './qr.js';
export { reportError } from './report.js';
export { resolveSecret } from './secrets.js';
export type { SecretSource } from './secrets.js';
