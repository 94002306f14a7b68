/** One request and its answer; the log entry is written once, when the answer is decided. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { redirect, sendHtml, sendJson, sendText } from './http-util.js';
import type { Failure } from './state.js';
import type { LogEntry } from './types.js';

export class Exchange {
  private logged = false;
  /** headers added to every answer of this exchange (e.g. X-RateLimit-*) */
  readonly headers: Record<string, string | number> = {};

  constructor(
    readonly req: IncomingMessage,
    readonly res: ServerResponse,
    /** undefined for requests that are not logged (the control API) */
    readonly entry: LogEntry | undefined,
    private readonly record: (e: LogEntry) => void,
  ) {
    res.on('close', () => this.finish(0));
  }

  private finish(status: number, error?: string): void {
    if (this.logged || !this.entry) return;
    this.logged = true;
    this.entry.status = status;
    if (error !== undefined) this.entry.error = error;
    this.record(this.entry);
  }

  /** note something about the request in its log entry (never a token, code or secret) */
  note(fields: Partial<Omit<LogEntry, 'at' | 'method' | 'path' | 'status'>>): void {
    if (this.entry) Object.assign(this.entry, fields);
  }

  json(status: number, body: unknown, headers: Record<string, string | number> = {}): void {
    const err = typeof body === 'object' && body !== null ? (body as { error?: unknown }).error : undefined;
    this.finish(status, typeof err === 'string' ? err : undefined);
    sendJson(this.res, status, body, { ...this.headers, ...headers });
  }

  oauthError(f: Failure, headers: Record<string, string | number> = {}): void {
    this.json(f.status, { error: f.error, error_description: f.error_description }, headers);
  }

  text(status: number, contentType: string, text: string, headers: Record<string, string | number> = {}): void {
    this.finish(status);
    sendText(this.res, status, contentType, text, { ...this.headers, ...headers });
  }

  html(status: number, html: string, error?: string): void {
    this.finish(status, error);
    sendHtml(this.res, status, html);
  }

  redirect(status: 302 | 303, location: string, error?: string): void {
    this.finish(status, error);
    redirect(this.res, status, location);
  }

  empty(status: number): void {
    this.finish(status);
    this.res.writeHead(status, { ...this.headers, 'Cache-Control': 'no-store', 'Content-Length': 0 });
    this.res.end();
  }

  /** destroy the connection without an answer */
  reset(): void {
    this.finish(0);
    this.req.socket.destroy();
  }
}
