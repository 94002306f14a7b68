/** The local stores (src/settings-file): permissions, locks, the machine key, the environment and single-file stores. */
export const store = {
  'store.not_found': 'no credential named "{name}" in {dir}',
  'store.perm.owner.store_dir':
    'the store directory {path} belongs to another user (uid {owner}), not to this one (uid {uid}); run `chown {uid} {path}` if it is yours, or use a store of your own',
  'store.perm.owner.credentials_dir':
    'the credentials directory {path} belongs to another user (uid {owner}), not to this one (uid {uid}); run `chown {uid} {path}` if it is yours, or use a store of your own',
  'store.perm.owner.key_file':
    'the key file {path} belongs to another user (uid {owner}), not to this one (uid {uid}); run `chown {uid} {path}` if it is yours, or use a store of your own',
  'store.perm.owner.credential_file':
    'the credential file of "{name}" {path} belongs to another user (uid {owner}), not to this one (uid {uid}); run `chown {uid} {path}` if it is yours, or use a store of your own',
  'store.perm.writable.store_dir': 'the store directory {path} is writable by group or others (mode {mode}); run `chmod {want} {path}`',
  'store.perm.writable.credentials_dir': 'the credentials directory {path} is writable by group or others (mode {mode}); run `chmod {want} {path}`',
  'store.perm.writable.key_file': 'the key file {path} is writable by group or others (mode {mode}); run `chmod {want} {path}`',
  'store.perm.writable.credential_file': 'the credential file of "{name}" {path} is writable by group or others (mode {mode}); run `chmod {want} {path}`',
  'store.perm.readable.store_dir': 'the store directory {path} is readable by group or others (mode {mode}); run `chmod {want} {path}`',
  'store.perm.readable.credentials_dir': 'the credentials directory {path} is readable by group or others (mode {mode}); run `chmod {want} {path}`',
  'store.perm.readable.key_file': 'the key file {path} is readable by group or others (mode {mode}); run `chmod {want} {path}`',
  'store.perm.readable.credential_file': 'the credential file of "{name}" {path} is readable by group or others (mode {mode}); run `chmod {want} {path}`',
  'store.lock_timeout.credential': 'timed out after {seconds} s waiting for the lock on credential "{name}"',
  'store.lock_timeout.credential_held': 'timed out after {seconds} s waiting for the lock on credential "{name}" (held by process {pid} on {host})',
  'store.lock_timeout.settings_file': 'timed out after {seconds} s waiting for the lock on settings file {path}',
  'store.lock_timeout.settings_file_held':
    'timed out after {seconds} s waiting for the lock on settings file {path} (held by process {pid} on {host})',
  'store.lock_timeout.daemon': 'timed out after {seconds} s waiting for the lock on the daemon lock',
  'store.lock_timeout.daemon_held': 'timed out after {seconds} s waiting for the lock on the daemon lock (held by process {pid} on {host})',
} as const;
