/** Grant identity: import, export and status (docs: "Moving a credential", README). */
export const grant = {
  'grant.older':
    '"{name}" here holds a newer copy of the same grant {grant} (generation {stored}) than this file (generation {incoming}): its refresh token was already replaced, and using it again makes strict servers revoke the whole grant; nothing was changed',
  'grant.hint.older':
    'import the newest export of "{name}" instead; to put this older copy back anyway (for example after restoring the provider from a backup), add --allow-older',
  'grant.older_replaced':
    'replaced the newer copy of grant {grant} (generation {stored}) with this older one (generation {incoming}) as asked (--allow-older); if the provider rotates refresh tokens, its refresh token may be used up',
  'grant.newer_replaced': 'updated "{name}" (grant {grant}) from generation {stored} to generation {incoming}',
  'grant.same': '"{name}" already holds this copy of grant {grant} (generation {incoming}); nothing to change',
  'grant.elsewhere':
    'the grant {grant} in this file is already stored as "{other}": two names on one grant refresh it twice (replaying each other\'s refresh tokens) and `forget --revoke` of one silently ends the other; nothing was changed',
  'grant.hint.elsewhere': 'import it under the same name (--name {other}), or forget "{other}" first; to keep both names anyway, add --allow-duplicate',
  'grant.duplicate_kept':
    'grant {grant} is now stored as "{name}" and as "{other}": let only one of them be refreshed (one daemon, one set of scripts), and never `forget --revoke` one while the other is in use',
  'grant.unknown_order':
    'this file has no grant id (written by oauth-handoff 0.1.0), so it cannot be told whether it is older than the stored "{name}"; replaced it as asked (--force)',
  'grant.other_grant': 'a credential named "{name}" already exists and holds another grant ({grant}); nothing was changed',
  'grant.assigned': 'this file has no grant id (written by oauth-handoff 0.1.0): "{name}" now has grant id {grant}; export it again to carry it',
  'grant.exported': 'exported "{name}": grant {grant}, generation {generation}',
  'token.space': 'the access token of "{name}" contains a space, which an Authorization header cannot carry safely; check what the provider issues',
} as const;
