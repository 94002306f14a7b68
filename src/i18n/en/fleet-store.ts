/** The fleet store's library messages (src/fleet-store) not in fleet.ts. */
export const fleetStore = {
  'fleet_store.not_member_sealed':
    '"{name}" in the fleet store {store} is not sealed to this host\'s key {fingerprint}: this host is not a member of the fleet (it is sealed to {sealed_to})',
  'fleet_store.not_member_sealed_none':
    '"{name}" in the fleet store {store} is not sealed to this host\'s key {fingerprint}: this host is not a member of the fleet (it is sealed to no X25519 key)',
  'fleet_store.no_cached_copy_after':
    '{cause}, and this host has no cached copy of "{name}"',
  'fleet_store.not_found':
    'no credential named "{name}" in the fleet store {store}',
  'fleet_store.unreachable':
    'the fleet store {store} is unreachable',
  'fleet_store.members_changing':
    'the member list of the fleet store {store} kept changing while "{name}" was written',
  'fleet_store.kept_here':
    '{cause}: the new tokens of "{name}" could not be stored there; this host keeps them and writes them back when it next reaches the store',
  'fleet_store.cannot_remove_now':
    '{cause}: cannot remove "{name}" now',
  'fleet_store.conflict':
    '"{name}" in the fleet store {store} was changed by another host while this one held its lease (expected version {expected}, found {found}); nothing was overwritten',
  'fleet_store.not_holder':
    '"{name}" in the fleet store {store}: this host no longer held its lease, or another host\'s refresh was in flight, when it was about to send a refresh; nothing was written or sent',
  'fleet_store.offline.no_expiry':
    '{cause}: cannot refresh or change "{name}" now; the copy cached on this host has no known expiry',
  'fleet_store.offline.valid_until':
    '{cause}: cannot refresh or change "{name}" now; the copy cached on this host is valid until {expires_at}',
  'fleet_store.offline.expired':
    '{cause}: cannot refresh or change "{name}" now; the copy cached on this host expired at {expires_at}',
  'fleet_store.no_cache':
    'this host has no cached copy of "{name}" from the fleet store {store}',
  'fleet_store.lease_timeout':
    'timed out waiting for the lease on "{name}" in the fleet store {store}',
  'fleet_store.lease_timeout_held':
    'timed out waiting for the lease on "{name}" in the fleet store {store}, held by {host} pid {pid}',
  'fleet_store.last_member':
    '{fingerprint} is the last member of the fleet store {store}; removing it would leave nobody able to open the credentials',
} as const;
