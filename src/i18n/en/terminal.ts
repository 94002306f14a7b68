/** The terminal (src/terminal): prompts, retries, warnings. */
export const terminal = {
  'terminal.stdin_too_large': 'standard input is larger than {max} bytes',
  'terminal.interrupted': 'the prompt was interrupted (Ctrl-C); nothing was stored',
  'terminal.cancelled': 'the prompt was cancelled',
  'terminal.cancelled_or_timed_out': 'the prompt was cancelled or timed out',
  'terminal.nothing_entered_retry': 'nothing was entered; try again',
  'terminal.nothing_entered': 'nothing was entered',
  'terminal.mismatch_retry': 'the two entries did not match; try again',
  'terminal.mismatch': 'the two entries did not match',
  'terminal.weak_passphrase': 'warning: this passphrase is weak (fewer than {min} characters, or one character repeated): whoever gets the file can try passphrases offline; four or more random words are strong',
  'terminal.keep_or_stronger': 'press Enter to keep it, or type a stronger one: ',
  'terminal.again': 'again: ',
  'terminal.nothing_entered_thrice': 'nothing was entered, three times',
  'terminal.mismatch_thrice': 'the two entries did not match, three times',
} as const;
