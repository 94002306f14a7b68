import type { AxiosInstance, AxiosResponse, InternalAxiosRequestConfig } from 'axios';
import type { AccessTokenOptions, Credential } from './credential.js';

/** set on a request's config: the token it was sent with */
const SENT = 'oauthHandoffToken';
/** set on the config of the one retry after a 401 */
const RETRIED = 'oauthHandoffRetried';

type Marked = InternalAxiosRequestConfig & { [SENT]?: string; [RETRIED]?: boolean };

/** `minValid` for the token each request gets */
export type AttachOptions = AccessTokenOptions;

/**
 * Adds `Authorization: Bearer <token>` to every request of `instance`
 * (RFC 6750 §2.1). On a 401, refreshes once through the write lock — or takes
 * the token another process already refreshed — and sends the request again,
 * once: a second 401 is returned to the caller as it is. Attach it to an
 * instance used only for this credential's API: every request gets the token.
 * Returns a function that removes both interceptors.
 */
export function attachTo(instance: AxiosInstance, credential: Credential, options: AttachOptions = {}): () => void {
  const tokenOptions: AccessTokenOptions = options.minValid === undefined ? {} : { minValid: options.minValid };

  const onRequest = async (config: InternalAxiosRequestConfig): Promise<InternalAxiosRequestConfig> => {
    const c = config as Marked;
    const token = await credential.accessToken(tokenOptions);
    c.headers.set('Authorization', `Bearer ${token}`);
    c[SENT] = token;
    return c;
  };

  /** the retry for a 401, or undefined when this response is final */
  const retryAfter401 = async (status: number | undefined, config: Marked | undefined): Promise<AxiosResponse | undefined> => {
    if (status !== 401 || config === undefined || config[RETRIED]) return undefined;
    await credential.refresh(config[SENT] === undefined ? {} : { rejected: config[SENT] });
    config[RETRIED] = true;
    return instance.request(config);
  };

  const requestId = instance.interceptors.request.use(onRequest);
  const responseId = instance.interceptors.response.use(
    // a custom validateStatus may let a 401 through as a success
    async (response) => (await retryAfter401(response.status, response.config as Marked)) ?? response,
    async (error: unknown) => {
      const e = error as { config?: Marked; response?: { status?: number } } | undefined;
      const retried = await retryAfter401(e?.response?.status, e?.config);
      if (retried === undefined) throw error;
      return retried;
    },
  );
  return () => {
    instance.interceptors.request.eject(requestId);
    instance.interceptors.response.eject(responseId);
  };
}
