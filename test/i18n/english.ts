/**
 * Finds English sentences in text meant to be Japanese: what a person reading
 * a `LANG=ja_JP.UTF-8` screen would see left untranslated. Commands, options,
 * URLs, paths, identifiers, placeholders, code in backticks and quoted values
 * are not sentences; a run of four or more plain English words is.
 */
const NOT_PROSE = [
  /`[^`]*`/g, // code
  /"[^"]*"/g, // quoted values (names, providers)
  /https?:\/\/\S+/g,
  /(?:^|\s)(?:\/|~\/|\.\/)\S*/g, // paths
  /\boauth-handoff(?: [a-z][a-z-]*)?/g, // the command and its subcommand
  /(?:^|\s)--?[a-z][\w-]*/gi, // options
  /\$\w+|\b[A-Z][A-Z0-9_]{2,}\b/g, // variables and constants
  /\b\d{4}-\d{2}-\d{2}T[\d:.]+Z\b/g, // timestamps
  /\b[a-z0-9]+(?:[_.:-][a-z0-9]+)+\b/gi, // identifiers like client_secret_post, redmine.ohs, ohpub1…
];

export function englishSentences(text: string): string[] {
  const found: string[] = [];
  for (const line of text.split('\n')) {
    if (/^::docs-block /.test(line) || /^\s*[{}[\]"]/.test(line)) continue; // harness markers, JSON
    let prose = line;
    for (const re of NOT_PROSE) prose = prose.replace(re, ' ');
    if (/(?:\b[A-Za-z][a-z']*\b[ ,;:()]+){2}\b[A-Za-z][a-z']*\b/.test(prose)) found.push(line.trim());
  }
  return found;
}
