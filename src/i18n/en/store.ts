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
  'store.no_secret': 'no key or passphrase was given to open {where}',
  'store.not_this_one': '{where} holds the credential "{have}", not "{asked}"',
  'store.file_too_large': '{path} is too large to be a settings file',
  'store.cannot_open': 'the stored credential "{name}" ({path}) cannot be opened: {detail}',
  'store.remove_file_instead': 'the credential "{name}" is the settings file {path}; remove the file instead',
  'store.no_settings_file': 'no settings file at {path}',
  'store.env_not_set': '{variable} is not set: it must hold the armored settings block',
  'store.env_no_secret': 'neither {key_variable} nor {passphrase_variable} is set: one of them must open {variable}',
  'store.write_back_failed': 'cannot write the updated settings to {path}: {detail}',
  'store.write_back_failed_rotated': 'cannot write the updated settings to {path}: {detail}; the provider has replaced the refresh token, so the one in {variable} may no longer work',
  'store.env_cannot_remove': 'the credential "{name}" comes from {variable} and cannot be removed',
  'store.no_key': 'this machine has no key yet ({path})',
  'store.key_not_dir': 'there is no key at {path}: {home} is not a directory',
  'store.key_exists': 'a machine key already exists at {path}',
  'store.invalid_name': 'invalid credential name "{name}": use 1-64 letters, digits, ".", "_" or "-", starting with a letter or digit',
  'store.unsupported_version': 'unsupported settings version {version} (this oauth-handoff reads version {supported}; upgrade oauth-handoff)',
  'store.payload_not_json': 'invalid settings: the decrypted payload is not JSON',
} as const;
