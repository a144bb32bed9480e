// A small JSON client for the Kubernetes API on top of @kubernetes/client-node 2.x: the KubeConfig supplies the
// server, credentials and TLS (in-cluster service account or a kubeconfig file); this module sends the requests and
// returns plain JSON. It exists because the operator needs what the generated APIs make awkward: server-side apply on
// any kind and on /status (the generated patch methods default to a JSON-patch content type), raw wire objects for
// the cache, streaming watches with our own inactivity watchdog, and one connection pool for every request (the
// KubeConfig builds a new TLS dispatcher per request, i.e. a new connection each time).
import { HttpMethod, IsomorphicFetchHttpLibrary, KubeConfig, RequestContext } from '@kubernetes/client-node';
import { KubeApiError, type StatusBody } from './errors.ts';
import type { KubeList, KubeObject } from './types.ts';

export interface RequestInfo {
  readonly verb: string;
  readonly path: string;
  readonly code: number;
  readonly seconds: number;
}

export interface RequestOptions {
  readonly query?: Readonly<Record<string, string | number | boolean | undefined>>;
  readonly body?: unknown;
  readonly contentType?: string;
  readonly signal?: AbortSignal;
}

type Dispatcher = NonNullable<ReturnType<RequestContext['getDispatcher']>>;

/** Rebuild the pooled dispatcher this often, so rotated client certificates are picked up. */
const dispatcherMaxAgeMs = 10 * 60_000;

export class KubeClient {
  readonly kubeConfig: KubeConfig;
  readonly server: string;
  readonly #http = new IsomorphicFetchHttpLibrary();
  readonly #onRequest: ((info: RequestInfo) => void) | undefined;
  readonly #userAgent: string;
  #dispatcher: Dispatcher | undefined;
  #dispatcherBornAt = 0;

  constructor(kubeConfig: KubeConfig, options: { onRequest?: (info: RequestInfo) => void; userAgent?: string } = {}) {
    const cluster = kubeConfig.getCurrentCluster();
    if (!cluster) throw new Error('the kubeconfig has no current cluster');
    this.kubeConfig = kubeConfig;
    this.server = cluster.server.replace(/\/+$/, '');
    this.#onRequest = options.onRequest;
    this.#userAgent = options.userAgent ?? 'electric-sync-operator';
  }

  async #context(method: HttpMethod, path: string, options: RequestOptions): Promise<RequestContext> {
    const url = new URL(this.server + path);
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value));
    }
    const context = new RequestContext(url.toString(), method);
    await this.kubeConfig.applySecurityAuthentication(context);
    const fresh = context.getDispatcher();
    if (fresh) {
      const now = Date.now();
      if (!this.#dispatcher || now - this.#dispatcherBornAt > dispatcherMaxAgeMs) {
        const old = this.#dispatcher;
        this.#dispatcher = fresh;
        this.#dispatcherBornAt = now;
        // Let requests in flight on the old pool finish; close it once they have.
        if (old) setTimeout(() => void old.close().catch(() => {}), 60_000).unref();
      } else {
        void fresh.close().catch(() => {});
      }
      context.setDispatcher(this.#dispatcher);
    }
    context.setHeaderParam('Accept', 'application/json');
    context.setHeaderParam('User-Agent', this.#userAgent);
    if (options.body !== undefined) {
      context.setHeaderParam('Content-Type', options.contentType ?? 'application/json');
      context.setBody(JSON.stringify(options.body));
    }
    if (options.signal) context.setSignal(options.signal);
    return context;
  }

  /** Sends a request and returns the parsed JSON body; throws KubeApiError for any non-2xx answer. */
  async request<T>(method: HttpMethod, path: string, options: RequestOptions = {}): Promise<T> {
    const started = performance.now();
    const context = await this.#context(method, path, options);
    let code = 0;
    try {
      const response = await this.#http.send(context).toPromise();
      code = response.httpStatusCode;
      const text = await response.body.text();
      const body = text ? (JSON.parse(text) as unknown) : undefined;
      if (code < 200 || code > 299) {
        const retryAfter = Number(response.headers['retry-after']);
        throw new KubeApiError(code, `${method} ${path}`, body as StatusBody | undefined, Number.isFinite(retryAfter) ? retryAfter : undefined);
      }
      return body as T;
    } finally {
      this.#onRequest?.({ verb: method, path, code, seconds: (performance.now() - started) / 1000 });
    }
  }

  /** Opens a streaming GET (a watch); the caller reads the body and aborts through `signal`. */
  async stream(path: string, query: RequestOptions['query'], signal: AbortSignal): Promise<ReadableStream<Uint8Array>> {
    const started = performance.now();
    const context = await this.#context(HttpMethod.GET, path, { query, signal });
    let code = 0;
    try {
      const response = await this.#http.send(context).toPromise();
      code = response.httpStatusCode;
      if (code !== 200) {
        const text = await response.body.text().catch(() => '');
        let status: StatusBody | undefined;
        try {
          status = JSON.parse(text) as StatusBody;
        } catch {
          status = { message: text };
        }
        throw new KubeApiError(code, `watch ${path}`, status);
      }
      const body = response.body.stream();
      if (!body) throw new Error(`watch ${path}: the response has no body`);
      return body;
    } finally {
      this.#onRequest?.({ verb: 'WATCH', path, code, seconds: (performance.now() - started) / 1000 });
    }
  }

  /** A non-JSON GET, e.g. the API server's /metrics. */
  async getText(path: string): Promise<string> {
    const context = await this.#context(HttpMethod.GET, path, {});
    context.setHeaderParam('Accept', 'text/plain');
    const response = await this.#http.send(context).toPromise();
    const text = await response.body.text();
    if (response.httpStatusCode !== 200) throw new KubeApiError(response.httpStatusCode, `GET ${path}`, { message: text.slice(0, 200) });
    return text;
  }

  get<T extends KubeObject>(path: string, signal?: AbortSignal): Promise<T> {
    return this.request<T>(HttpMethod.GET, path, { signal });
  }

  /** Lists a collection, following `continue` tokens; returns the items and the list's resourceVersion. */
  async list<T extends KubeObject>(
    path: string,
    query: Readonly<Record<string, string | undefined>> = {},
    pageSize = 500,
  ): Promise<{ items: T[]; resourceVersion: string }> {
    const items: T[] = [];
    let token: string | undefined;
    let resourceVersion = '';
    do {
      const page = await this.request<KubeList<T>>(HttpMethod.GET, path, { query: { ...query, limit: pageSize, continue: token } });
      items.push(...page.items);
      resourceVersion = page.metadata?.resourceVersion ?? resourceVersion;
      token = page.metadata?.continue || undefined;
    } while (token);
    return { items, resourceVersion };
  }

  create<T extends KubeObject>(path: string, body: T): Promise<T> {
    return this.request<T>(HttpMethod.POST, path, { body });
  }

  /** Server-side apply: the object is the field manager's complete intent for the fields it names. */
  apply<T extends KubeObject>(path: string, body: T, fieldManager: string, force = true): Promise<T> {
    return this.request<T>(HttpMethod.PATCH, path, {
      body,
      contentType: 'application/apply-patch+yaml',
      query: { fieldManager, force, fieldValidation: 'Strict' },
    });
  }

  /** JSON merge patch (RFC 7386). Never creates: a missing object is a 404. */
  mergePatch<T extends KubeObject>(path: string, patch: unknown, fieldManager: string): Promise<T> {
    return this.request<T>(HttpMethod.PATCH, path, { body: patch, contentType: 'application/merge-patch+json', query: { fieldManager } });
  }

  replace<T extends KubeObject>(path: string, body: T, fieldManager: string): Promise<T> {
    return this.request<T>(HttpMethod.PUT, path, { body, query: { fieldManager } });
  }

  delete(path: string, options: { propagationPolicy?: 'Foreground' | 'Background' | 'Orphan'; preconditionUid?: string } = {}): Promise<unknown> {
    const body: Record<string, unknown> = { kind: 'DeleteOptions', apiVersion: 'v1' };
    if (options.propagationPolicy) body.propagationPolicy = options.propagationPolicy;
    if (options.preconditionUid) body.preconditions = { uid: options.preconditionUid };
    return this.request(HttpMethod.DELETE, path, { body });
  }
}

/** Loads credentials: a kubeconfig file when given, else in-cluster when running in a pod, else ~/.kube/config. */
export function loadKubeConfig(kubeconfigPath?: string): KubeConfig {
  const kc = new KubeConfig();
  if (kubeconfigPath) kc.loadFromFile(kubeconfigPath);
  else kc.loadFromDefault();
  return kc;
}
