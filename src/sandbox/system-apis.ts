/**
 * The imitated systems' own API answers, small and fixed: enough for the docs'
 * example calls (`curl … $REDMINE_URL/issues.json`) to work against the sandbox.
 */
import type { ApiCaller } from './profiles.js';

const CREATED = '2026-01-05T09:00:00Z';

/** Redmine's GET /issues.json (REST API, JSON format). */
export function redmineIssues(c: ApiCaller): unknown {
  const author = { id: c.user.id, name: c.user.name };
  const project = { id: 1, name: 'Sandbox' };
  const issue = (id: number, subject: string, status: string) => ({
    id,
    project,
    tracker: { id: 1, name: 'Task' },
    status: { id: id, name: status },
    priority: { id: 2, name: 'Normal' },
    author,
    subject,
    description: '',
    done_ratio: 0,
    created_on: CREATED,
    updated_on: CREATED,
  });
  const issues = [
    issue(2, 'Keep the credential fresh with oauth-handoff daemon', 'New'),
    issue(1, 'Hand a credential to the server with oauth-handoff', 'Resolved'),
  ];
  return { issues, total_count: issues.length, offset: 0, limit: 25 };
}

/** Redmine's GET /users/current.json. */
export function redmineCurrentUser(c: ApiCaller): unknown {
  const [firstname, lastname] = c.user.name.split(' ');
  return {
    user: { id: c.user.id, login: c.user.login, admin: false, firstname, lastname, created_on: CREATED, last_login_on: new Date(c.now).toISOString() },
  };
}
