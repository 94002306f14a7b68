/**
 * The fleet store's atomic steps, each one Lua script (one round trip, run
 * by Redis without interleaving). docs/fleet.md describes the keys:
 *
 *   PREFIX store             hash: id, created_at, seq (version counter), members_version
 *   PREFIX members           hash: member public key → JSON {fingerprint, label, added_at, added_by}
 *   PREFIX credentials       set of credential names
 *   PREFIX cred:NAME         hash: sealed, version, store_id, written_*, refreshed_*, recipients,
 *                            grant_id, generation (the grant's identity, not secret)
 *   PREFIX grants            hash: grant id → the credential name holding it
 *   PREFIX lease:NAME        string: the lease owner, with a TTL (PX)
 *   PREFIX wake:NAME         list: one wake-up for the next waiter, pushed on release
 *   PREFIX inflight:NAME     string: "GENERATION OWNER" of a refresh request in flight, with a TTL
 *                            (PX) covering the request and the write of its answer
 */

/** The names of the keys above, under one prefix. */
export interface FleetKeys {
  prefix: string;
  store: string;
  grants: string;
  members: string;
  credentials: string;
  cred(name: string): string;
  lease(name: string): string;
  wake(name: string): string;
  inflight(name: string): string;
}

export function fleetKeys(prefix: string): FleetKeys {
  return {
    prefix,
    store: `${prefix}store`,
    grants: `${prefix}grants`,
    members: `${prefix}members`,
    credentials: `${prefix}credentials`,
    cred: (name) => `${prefix}cred:${name}`,
    lease: (name) => `${prefix}lease:${name}`,
    wake: (name) => `${prefix}wake:${name}`,
    inflight: (name) => `${prefix}inflight:${name}`,
  };
}

/** Values a script returns for "you lost the race": the caller re-reads. */
export const CAS_OK = 1;
export const CAS_VERSION_CHANGED = 0;
export const CAS_MEMBERS_CHANGED = -1;
/** The write would put an older copy of the stored grant back. */
export const CAS_GRANT_OLDER = -2;
/** The grant is stored under another name already. */
export const CAS_GRANT_ELSEWHERE = -3;
/**
 * A refresh was about to be marked as started, but this holder no longer owns
 * the lease, or another owner's refresh is in flight: nothing was written,
 * and the refresh must not be sent.
 */
export const CAS_NOT_HOLDER = -4;

/** The owner in an in-flight mark ("GENERATION OWNER"); Lua, shared by the scripts below. */
const INFLIGHT_OWNER = `local function inflight_owner(v) if not v then return nil end return string.match(v, '^%d+ (.*)$') end`;

/**
 * Take the lease when free and no refresh is in flight. KEYS: lease, inflight.
 * ARGV: owner, ttl ms. Returns {-1} when taken, else {pttl, current owner}:
 * of the in-flight mark while one lives (whoever holds the lease: a host
 * whose refresh request may be on the wire is never taken for dead before
 * its deadline), else of the lease.
 */
export const ACQUIRE_LEASE = `
${INFLIGHT_OWNER}
local f = redis.call('GET', KEYS[2])
if f then
  local left = redis.call('PTTL', KEYS[2])
  if left > 0 then return {left, inflight_owner(f) or ''} end
end
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return {-1, ''} end
return {redis.call('PTTL', KEYS[1]), redis.call('GET', KEYS[1]) or ''}
`;

/**
 * Keep the lease at least `ttl ms` ahead, only while still its owner; never
 * shortens it (a refresh in flight extended it further). KEYS: lease.
 * ARGV: owner, ttl ms. 1 or 0.
 */
export const EXTEND_LEASE = `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[2]) then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 1
`;

/**
 * Release the lease, only while still its owner, drop its own in-flight mark
 * (a holder that releases is back from its request, whatever came of it), and
 * wake the next waiter (one wake-up in the list at most, expiring with the
 * lease TTL). KEYS: lease, wake, inflight. ARGV: owner, ttl ms. 1 or 0.
 */
export const RELEASE_LEASE = `
${INFLIGHT_OWNER}
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', KEYS[1])
if inflight_owner(redis.call('GET', KEYS[3])) == ARGV[1] then redis.call('DEL', KEYS[3]) end
redis.call('LPUSH', KEYS[2], '1')
redis.call('LTRIM', KEYS[2], 0, 0)
redis.call('PEXPIRE', KEYS[2], ARGV[2])
return 1
`;

/**
 * Compare-and-swap write of one credential. KEYS: cred, store, credentials, grants,
 * lease, inflight, wake.
 * ARGV: expected version (0 = must not exist), members_version sealed to,
 * sealed bytes, now ms, writer label, writer key fingerprint, refreshed (1/0),
 * recipients (fingerprints), name, a new store id (used only for a store's first write),
 * grant id ('' = none), generation, allow older (1/0), allow duplicate (1/0), key prefix,
 * the writer's lease owner, in-flight ms (0 = a plain write), lease ttl ms.
 *
 * With in-flight ms > 0 the write marks a refresh about to be sent: it is
 * refused ({-4}) unless the writer still owns the lease and no other owner's
 * refresh is in flight; then the lease and an in-flight mark (the generation
 * whose refresh token is used, and the owner) are made to last that long. Any
 * other write by the mark's owner drops its mark (the request is over), and
 * wakes a waiter when the writer no longer holds the lease (nobody else would).
 * Returns {1, new version, store id} | {0, current version} | {-1, current members_version}
 * | {-2, current version, stored generation} (an older copy of the stored grant)
 * | {-3, current version, other name} (the grant is stored under that name)
 * | {-4, current version} (not the holder: nothing written, nothing may be sent).
 */
export const WRITE_CREDENTIAL = `
${INFLIGHT_OWNER}
local cur = tonumber(redis.call('HGET', KEYS[1], 'version') or '0')
local flying = tonumber(ARGV[17])
local flight = inflight_owner(redis.call('GET', KEYS[6]))
if flying > 0 then
  if redis.call('GET', KEYS[5]) ~= ARGV[16] then return {-4, cur} end
  if flight and flight ~= ARGV[16] then return {-4, cur} end
end
if cur ~= tonumber(ARGV[1]) then return {0, cur} end
local mv = tonumber(redis.call('HGET', KEYS[2], 'members_version') or '0')
if mv ~= tonumber(ARGV[2]) then return {-1, mv} end
local gid = ARGV[11]
local had = redis.call('HGET', KEYS[1], 'grant_id')
if gid ~= '' then
  if had == gid and ARGV[13] ~= '1' then
    local gen = tonumber(redis.call('HGET', KEYS[1], 'generation') or '-1')
    if tonumber(ARGV[12]) < gen then return {-2, cur, gen} end
  end
  if had ~= gid and ARGV[14] ~= '1' then
    local other = redis.call('HGET', KEYS[4], gid)
    if other and other ~= ARGV[9] and redis.call('HGET', ARGV[15] .. 'cred:' .. other, 'grant_id') == gid then return {-3, cur, other} end
  end
end
if redis.call('HSETNX', KEYS[2], 'id', ARGV[10]) == 1 then redis.call('HSET', KEYS[2], 'created_at', ARGV[4]) end
local v = redis.call('HINCRBY', KEYS[2], 'seq', 1)
redis.call('HSET', KEYS[1], 'sealed', ARGV[3], 'version', v, 'store_id', redis.call('HGET', KEYS[2], 'id'),
  'written_at', ARGV[4], 'written_by', ARGV[5], 'written_key', ARGV[6], 'recipients', ARGV[8])
if ARGV[7] == '1' then
  redis.call('HSET', KEYS[1], 'refreshed_at', ARGV[4], 'refreshed_by', ARGV[5], 'refreshed_key', ARGV[6])
end
if had and had ~= gid and redis.call('HGET', KEYS[4], had) == ARGV[9] then redis.call('HDEL', KEYS[4], had) end
if gid ~= '' then
  redis.call('HSET', KEYS[1], 'grant_id', gid, 'generation', ARGV[12])
  redis.call('HSET', KEYS[4], gid, ARGV[9])
else
  redis.call('HDEL', KEYS[1], 'grant_id', 'generation')
end
redis.call('SADD', KEYS[3], ARGV[9])
if flying > 0 then
  redis.call('SET', KEYS[6], ARGV[12] .. ' ' .. ARGV[16], 'PX', flying)
  if redis.call('PTTL', KEYS[5]) < flying then redis.call('PEXPIRE', KEYS[5], flying) end
elseif flight and flight == ARGV[16] then
  redis.call('DEL', KEYS[6])
  if redis.call('GET', KEYS[5]) ~= ARGV[16] then
    redis.call('LPUSH', KEYS[7], '1')
    redis.call('LTRIM', KEYS[7], 0, 0)
    redis.call('PEXPIRE', KEYS[7], ARGV[18])
  end
end
return {1, v, redis.call('HGET', KEYS[2], 'id')}
`;

/**
 * Compare-and-swap removal. KEYS: cred, store, credentials, grants. ARGV: expected version, name.
 * Returns {1, removed version (0 = there was nothing)} | {0, current version}.
 */
export const REMOVE_CREDENTIAL = `
local cur = tonumber(redis.call('HGET', KEYS[1], 'version') or '0')
if cur ~= tonumber(ARGV[1]) then return {0, cur} end
redis.call('SREM', KEYS[3], ARGV[2])
if cur == 0 then return {1, 0} end
local gid = redis.call('HGET', KEYS[1], 'grant_id')
if gid and redis.call('HGET', KEYS[4], gid) == ARGV[2] then redis.call('HDEL', KEYS[4], gid) end
redis.call('DEL', KEYS[1])
return {1, cur}
`;

/** The member list and its version, in one snapshot. KEYS: store, members. Returns {members_version, {k, v, …}}. */
export const READ_MEMBERS = `
return {redis.call('HGET', KEYS[1], 'members_version') or '0', redis.call('HGETALL', KEYS[2])}
`;

/** Add a member. KEYS: members, store. ARGV: public key, JSON. 1 added, 0 already there. */
export const ADD_MEMBER = `
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
redis.call('HINCRBY', KEYS[2], 'members_version', 1)
return 1
`;

/** Remove a member, never the last one. KEYS: members, store. ARGV: public key. 1 removed, 0 not a member, -1 the last one. */
export const REMOVE_MEMBER = `
if redis.call('HEXISTS', KEYS[1], ARGV[1]) == 0 then return 0 end
if redis.call('HLEN', KEYS[1]) <= 1 then return -1 end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('HINCRBY', KEYS[2], 'members_version', 1)
return 1
`;
